import { createHash } from 'node:crypto';
import { DEFAULT_THRESHOLDS } from '../answers/pipeline/decide.ts';
import type { Article } from '../articles/types.ts';
import type { Lang } from '../contracts/api.ts';
import { HashingEmbedder } from '../search/hashingEmbedder.ts';
import { isLang, isStopword, words } from '../text/analyze.ts';
import type { GapQuestion } from './gapQuestions.ts';
import type { Period } from './outcomes.ts';

export interface GapCluster {
  /** Stable while the cluster's most frequent phrasing stays the same. */
  id: string;
  lang: Lang;
  /** Failed questions in the cluster. */
  count: number;
  /** Why they failed (a question can have several reasons). */
  unanswered: number;
  notHelpful: number;
  ticket: number;
  /** Distinct phrasings, most frequent first. */
  phrasings: { text: string; count: number }[];
  nearest?: { articleId: string; title: string; confidence: number };
  suggestedTags: string[];
  keywords: string[];
  firstSeen: string;
  lastSeen: string;
}

export interface GapsReport {
  from: string;
  to: string;
  clusters: GapCluster[];
}

export interface GapOptions {
  /** Cosine similarity needed to join a cluster (hashing vectors of the phrasings). */
  similarity?: number;
  /** Clusters returned, biggest first. */
  limit?: number;
  /** Distinct phrasings clustered per language, most frequent first (the rest are rare and left out). */
  maxPhrasings?: number;
  /**
   * Mean confidence from which the nearest articles lend a gap their tags:
   * the operator's CLARIFY_THRESHOLD, the confidence from which the engine offers an article.
   */
  related?: number;
}

/**
 * Tuned on the paraphrase sets of test/reports/gaps.test.ts (Spanish and
 * English): every threshold from 0.28 to 0.32 gives the intended clusters.
 */
export const DEFAULT_SIMILARITY = 0.3;
/** Stems weigh 1 and character grams 0.2: grams still catch typos, but shared endings ("…ción") do not glue topics together. */
const CHAR_WEIGHT = 0.2;

interface Phrase {
  key: string;
  text: string;
  lang: Lang;
  count: number;
  unanswered: number;
  notHelpful: number;
  ticket: number;
  near: Map<string, { n: number; milli: number }>;
  first: number;
  last: number;
  vector?: Float32Array;
}

/**
 * The questions the knowledge base did not settle — nothing above the
 * threshold, a "not helpful", or a ticket afterwards — grouped into clusters
 * of similar phrasings, biggest first. The questions come counted per text
 * (gapQuestions.ts: by the in-process scan, or by PostgreSQL in SQL); only
 * their distinct texts are clustered here.
 *
 * Clustering is greedy and explainable: phrasings (most frequent first) are
 * embedded with the hashing embedder, and each joins the cluster whose mean
 * vector is most similar when that similarity reaches the threshold, or starts
 * a new one; clusters whose means end up similar are then merged. Languages
 * are clustered apart, since a draft article is written in one language.
 */
export function gapsReport(
  counted: { period: Period; questions: readonly GapQuestion[] },
  articles: ReadonlyMap<string, Article>,
  options: GapOptions = {},
): GapsReport {
  const threshold = options.similarity ?? DEFAULT_SIMILARITY;
  const phrases = new Map<string, Phrase>();
  for (const q of counted.questions) {
    const lang: Lang = isLang(q.lang) ? q.lang : 'en';
    const norm = words(q.text).join(' ');
    if (!norm) continue;
    const key = `${lang}\n${norm}`;
    let p = phrases.get(key);
    if (!p)
      phrases.set(
        key,
        (p = {
          key: norm,
          text: q.text.trim(),
          lang,
          count: 0,
          unanswered: 0,
          notHelpful: 0,
          ticket: 0,
          near: new Map(),
          first: q.first,
          last: q.last,
        }),
      );
    // A phrasing reads as the first text asked of those that normalise alike.
    else if (q.first < p.first) p.text = q.text.trim();
    p.count += q.count;
    p.unanswered += q.unanswered;
    p.notHelpful += q.notHelpful;
    p.ticket += q.ticket;
    p.last = Math.max(p.last, q.last);
    p.first = Math.min(p.first, q.first);
    for (const v of q.near) {
      const x = p.near.get(v.articleId) ?? { n: 0, milli: 0 };
      x.n += v.n;
      x.milli += v.milli;
      p.near.set(v.articleId, x);
    }
  }

  const embedder = new HashingEmbedder(1024, CHAR_WEIGHT);
  const clusters: GapCluster[] = [];
  for (const lang of ['es', 'en'] as const) {
    const list = [...phrases.values()]
      .filter((p) => p.lang === lang)
      .sort(byFrequency)
      .slice(0, options.maxPhrasings ?? 5000);
    for (const p of list) p.vector = embedder.embedOne(p.text, lang);
    for (const group of cluster(list, threshold))
      clusters.push(describe(group, lang, articles, options.related ?? DEFAULT_THRESHOLDS.clarify));
  }
  clusters.sort((a, b) => b.count - a.count || b.lastSeen.localeCompare(a.lastSeen) || a.id.localeCompare(b.id));
  return { from: counted.period.from, to: counted.period.to, clusters: clusters.slice(0, options.limit ?? 100) };
}

function byFrequency(a: Phrase, b: Phrase): number {
  return b.count - a.count || a.key.localeCompare(b.key);
}

/** Leader clustering against running means, then one merge pass over the means. */
function cluster(list: Phrase[], threshold: number): Phrase[][] {
  const groups: { members: Phrase[]; sum: Float32Array; mean: Float32Array }[] = [];
  for (const p of list) {
    let best = -1;
    let bestSim = threshold;
    groups.forEach((g, i) => {
      const s = cosine(p.vector!, g.mean);
      if (s >= bestSim) [best, bestSim] = [i, s];
    });
    if (best < 0) groups.push({ members: [p], sum: Float32Array.from(p.vector!), mean: Float32Array.from(p.vector!) });
    else join(groups[best]!, [p], p.vector!);
  }
  // Early leaders may have been too specific: merge groups whose means now agree.
  const kept: typeof groups = [];
  for (const g of groups.sort((a, b) => total(b.members) - total(a.members))) {
    const into = kept.find((k) => cosine(k.mean, g.mean) >= threshold);
    if (into) join(into, g.members, g.sum);
    else kept.push(g);
  }
  return kept.map((g) => g.members.sort(byFrequency));
}

function join(
  g: { members: Phrase[]; sum: Float32Array; mean: Float32Array },
  members: Phrase[],
  vector: Float32Array,
): void {
  g.members.push(...members);
  for (let d = 0; d < vector.length; d++) g.sum[d]! += vector[d]!;
  let n = 0;
  for (const x of g.sum) n += x * x;
  n = Math.sqrt(n) || 1;
  for (let d = 0; d < vector.length; d++) g.mean[d] = g.sum[d]! / n;
}

function total(members: Phrase[]): number {
  return members.reduce((s, p) => s + p.count, 0);
}

function cosine(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

function describe(members: Phrase[], lang: Lang, articles: ReadonlyMap<string, Article>, related: number): GapCluster {
  const lead = members[0]!;
  const votes = new Map<string, { n: number; milli: number }>();
  for (const p of members) {
    for (const [a, v] of p.near) {
      const x = votes.get(a) ?? { n: 0, milli: 0 };
      x.n += v.n;
      x.milli += v.milli;
      votes.set(a, x);
    }
  }
  // Confidences are summed in thousandths, so the same questions give the same figures from any store.
  const ranked = [...votes.entries()].sort(
    (a, b) => b[1].n - a[1].n || b[1].milli - a[1].milli || a[0].localeCompare(b[0]),
  );
  const top = ranked[0];
  const nearestId = top?.[0];
  const nearestArticle = nearestId ? articles.get(nearestId) : undefined;
  const tags = new Map<string, number>();
  // Only articles the engine found somewhat close lend their tags; otherwise the cluster's own words stand in.
  for (const [a, v] of ranked.slice(0, 3))
    if (v.milli / v.n / 1000 >= related)
      for (const t of articles.get(a)?.tags ?? []) tags.set(t, (tags.get(t) ?? 0) + v.n);
  const terms = new Map<string, number>();
  for (const p of members)
    for (const w of new Set(words(p.text)))
      if (w.length > 2 && !isStopword(w, lang) && !/^\d+$/.test(w)) terms.set(w, (terms.get(w) ?? 0) + p.count);
  return {
    id: `gap-${createHash('sha1').update(`${lang}\n${lead.key}`).digest('hex').slice(0, 10)}`,
    lang,
    count: total(members),
    unanswered: sum(members, 'unanswered'),
    notHelpful: sum(members, 'notHelpful'),
    ticket: sum(members, 'ticket'),
    phrasings: members.map((p) => ({ text: p.text, count: p.count })),
    nearest:
      top && nearestId
        ? {
            articleId: nearestId,
            title: nearestArticle?.title ?? nearestId,
            confidence: Math.round(top[1].milli / top[1].n) / 1000,
          }
        : undefined,
    suggestedTags: tags.size ? topKeys(tags, 4) : topKeys(terms, 3),
    keywords: topKeys(terms, 5),
    firstSeen: new Date(Math.min(...members.map((p) => p.first))).toISOString(),
    lastSeen: new Date(Math.max(...members.map((p) => p.last))).toISOString(),
  };
}

function sum(members: Phrase[], field: 'unanswered' | 'notHelpful' | 'ticket'): number {
  return members.reduce((s, p) => s + p[field], 0);
}

function topKeys(counts: Map<string, number>, n: number): string[] {
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, n)
    .map(([k]) => k);
}
