import type { Article } from '../articles/types.ts';
import type { Lang } from '../contracts/api.ts';
import type { DeflectEvent } from '../events/types.ts';
import { detectLang, words } from '../text/analyze.ts';
import { stripPersonalData, type Asker } from './stripPersonalData.ts';

/** Why a question counts as resolved by an article. */
export type PhrasingSource = 'helpful' | 'picked' | 'ticket';

export interface PhrasingCandidate {
  /** The question as a user typed it, personal data removed (the most frequent wording of its group). */
  text: string;
  /** Times it was resolved by this article, by source. */
  count: number;
  sources: Record<PhrasingSource, number>;
  lastSeen: string;
}

export interface ArticlePhrasings {
  articleId: string;
  title: string;
  lang: Lang;
  /** Path relative to the KB root. */
  file: string;
  candidates: PhrasingCandidate[];
}

export interface PhrasingsReport {
  articles: ArticlePhrasings[];
  /** Resolved questions left out because nothing but personal data (or function words) remained. */
  droppedPersonal: number;
}

export interface PhrasingOptions {
  /** Times a wording must have been resolved to be offered (default 1). */
  minCount?: number;
}

interface Resolved {
  articleId: string;
  question: string;
  lang: Lang;
  asker: Asker;
  source: PhrasingSource;
  at: string;
}

/**
 * Candidate phrasings per article, from the event log: the questions an
 * article resolved. A question is resolved by an article when
 *
 * - the user said the article helped ("Yes") after it was shown for that
 *   question — as the answer (`helpful`), or picked from a clarify or from the
 *   suggestions after a "No" (`picked`); the last verdict on it counts, so a
 *   "Yes" then "No" is not a candidate;
 * - an agent solved the ticket that followed it and named the article
 *   (`ticket`; the last naming of a ticket counts).
 *
 * Each question loses its personal data first; wordings are grouped by their
 * folded words, and those the article already lists (or its title) are left
 * out. Nothing is written: a person reviews, then `npm run kb -- phrasings
 * --apply` writes the accepted ones.
 */
export function phrasingCandidates(
  events: Iterable<DeflectEvent>,
  articles: ReadonlyMap<string, Article>,
  options: PhrasingOptions = {},
): PhrasingsReport {
  const resolved = resolvedQuestions(events);
  const known = new Map<string, Set<string>>();
  const listedIn = (a: Article) => known.get(a.id) ?? known.set(a.id, listed(a)).get(a.id)!;
  const byArticle = new Map<
    string,
    Map<
      string,
      { variants: Map<string, number>; count: number; sources: Record<PhrasingSource, number>; lastSeen: string }
    >
  >();
  let droppedPersonal = 0;
  for (const r of resolved) {
    const resolvedBy = articles.get(r.articleId);
    if (!resolvedBy) continue;
    const text = stripPersonalData(r.question, r.asker, r.lang);
    if (!text) {
      droppedPersonal++;
      continue;
    }
    const article = inQuestionLanguage(resolvedBy, text, articles);
    const key = normalisedPhrasing(text);
    if (listedIn(article).has(key)) continue;
    let groups = byArticle.get(article.id);
    if (!groups) byArticle.set(article.id, (groups = new Map()));
    let g = groups.get(key);
    if (!g)
      groups.set(
        key,
        (g = { variants: new Map(), count: 0, sources: { helpful: 0, picked: 0, ticket: 0 }, lastSeen: r.at }),
      );
    g.variants.set(text, (g.variants.get(text) ?? 0) + 1);
    g.count++;
    g.sources[r.source]++;
    if (r.at > g.lastSeen) g.lastSeen = r.at;
  }

  const min = options.minCount ?? 1;
  const out: ArticlePhrasings[] = [];
  for (const [articleId, groups] of byArticle) {
    const article = articles.get(articleId)!;
    const candidates = [...groups.values()]
      .filter((g) => g.count >= min)
      .map((g) => ({ text: mostFrequent(g.variants), count: g.count, sources: g.sources, lastSeen: g.lastSeen }))
      .sort((a, b) => b.count - a.count || a.text.localeCompare(b.text));
    if (candidates.length)
      out.push({ articleId, title: article.title, lang: article.lang, file: article.file, candidates });
  }
  out.sort((a, b) => total(b) - total(a) || a.articleId.localeCompare(b.articleId));
  return { articles: out, droppedPersonal };
}

/** The form two phrasings are compared in: folded words (case, accents and punctuation do not count). */
export function normalisedPhrasing(text: string): string {
  return words(text).join(' ');
}

/** An article's questions and title, normalised. */
export function listed(article: Pick<Article, 'questions' | 'title'>): Set<string> {
  return new Set([article.title, ...article.questions].map(normalisedPhrasing));
}

interface ConversationState {
  question: string;
  lang: Lang;
  asker: Asker;
  /** Articles displayed since the question: with it, picked, or suggested after a "No". */
  shown: Set<string>;
  picked: Set<string>;
  /** The last verdict per article, and when. */
  verdicts: Map<string, { helpful: boolean; at: string }>;
}

/** Walk the events once (oldest first) and list every question an article resolved. */
function resolvedQuestions(events: Iterable<DeflectEvent>): Resolved[] {
  const out: Resolved[] = [];
  const open = new Map<string, ConversationState>();
  const solved = new Map<string, Resolved[]>();
  const settle = (s: ConversationState | undefined) => {
    if (!s) return;
    for (const [articleId, v] of s.verdicts) {
      if (v.helpful)
        out.push({
          articleId,
          question: s.question,
          lang: s.lang,
          asker: s.asker,
          source: s.picked.has(articleId) ? 'picked' : 'helpful',
          at: v.at,
        });
    }
  };
  for (const e of events) {
    if (e.type === 'question') {
      const s = open.get(e.conversationId);
      if (e.selected) {
        if (!s || !e.articleId) continue;
        s.shown.add(e.articleId);
        s.picked.add(e.articleId);
        continue;
      }
      settle(s);
      open.set(e.conversationId, {
        question: e.question,
        lang: e.lang,
        asker: e.user ?? {},
        shown: new Set(e.shown.map((x) => x.articleId)),
        picked: new Set(),
        verdicts: new Map(),
      });
    } else if (e.type === 'feedback') {
      const s = open.get(e.conversationId);
      // A verdict on an article shown for an earlier question is not about this one.
      if (!s || !s.shown.has(e.articleId)) continue;
      s.verdicts.set(e.articleId, { helpful: e.helpful, at: e.at });
      for (const x of e.shown) s.shown.add(x.articleId);
    } else if (e.type === 'solved') {
      solved.set(
        e.ticketId,
        e.questions.map((question) => ({
          articleId: e.articleId,
          question,
          lang: e.lang,
          asker: e.user ?? {},
          source: 'ticket',
          at: e.at,
        })),
      );
    }
  }
  for (const s of open.values()) settle(s);
  for (const list of solved.values()) out.push(...list);
  return out;
}

/**
 * A question clearly written in the other language belongs to the article's
 * translation in that language when there is one (translations count as one
 * article for answers); otherwise to the article that resolved it.
 */
function inQuestionLanguage(article: Article, text: string, articles: ReadonlyMap<string, Article>): Article {
  const lang = detectLang(text);
  if (!lang || lang === article.lang) return article;
  const id = article.translations[lang];
  return (id && articles.get(id)) || article;
}

function mostFrequent(variants: Map<string, number>): string {
  return [...variants.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]![0];
}

function total(a: ArticlePhrasings): number {
  return a.candidates.reduce((s, c) => s + c.count, 0);
}
