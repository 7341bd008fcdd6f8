import type { Lang } from '../../contracts/api.ts';
import type { Article } from '../../articles/types.ts';
import type { Embedder, FullTextIndex, SearchFilter, VectorIndex, VectorItem } from '../../search/ports.ts';
import type { ArticleCentroids } from '../../search/articleCentroids.ts';
import type { SynonymTable } from '../../search/synonyms.ts';
import { cachedTerms } from '../../text/cachedTerms.ts';
import type { CandidateScores, TermModel } from '../lexical/termModel.ts';

/** What retrieval needs from a loaded index. */
export interface RetrievalIndex {
  articles: ReadonlyMap<string, Article>;
  fullText: FullTextIndex;
  vectors: VectorIndex;
  /** Normalised mean of each article's unit vectors: the article as one point. */
  centroids: ArticleCentroids;
  embedder: Embedder;
  /** The KB's own lexical model (idf, phrasings, classifier), fitted on its articles. */
  terms: TermModel;
  synonyms: SynonymTable;
}

export interface CandidateFeatures {
  /** Lexical: cosine to the closest phrasing, the runner-up, and the article centroid. */
  nearest: number;
  second: number;
  centroid: number;
  /** Share of the question's weight the article contains. */
  coverage: number;
  /** BM25 relative to the best article for this question (0..1). */
  bm25: number;
  /** The KB-trained classifier's probability. */
  probability: number;
  /** The embedder's view: cosine to the closest unit vector and to the article centroid. */
  dense: number;
  denseCentroid: number;
}

export interface Candidate {
  articleId: string;
  /** Fused relevance, 0..1. */
  score: number;
  features: CandidateFeatures;
}

export interface RetrieveOptions {
  lang: Lang;
  filter: SearchFilter;
  /** Score as if this phrasing (a `TermModel` unit) were not in the KB: calibration asks the KB's own questions. */
  leaveOut?: number;
}

/** Fusion weights, chosen on the dev sets (docs/quality.md); they sum to 1, so scores stay in 0..1. */
export const WEIGHTS: CandidateFeatures = {
  nearest: 0.122,
  second: 0.008,
  centroid: 0.232,
  coverage: 0.127,
  bm25: 0.084,
  probability: 0.307,
  dense: 0.053,
  denseCentroid: 0.067,
};
const VECTOR_K = 40;
const MAX_CANDIDATES = 50;

/**
 * Find the candidate articles for a question and score each from several
 * signals: the KB's lexical model (closest phrasing, centroid, coverage,
 * BM25, classifier) and the embedder's nearest unit vectors.
 */
export async function retrieve(
  index: RetrievalIndex,
  question: string,
  options: RetrieveOptions,
): Promise<Candidate[]> {
  const { filter } = options;
  const model = index.terms;
  const allowedId = (articleId: string) => {
    const a = index.articles.get(articleId);
    if (!a) return false;
    if (filter.publishedOnly !== false && a.status !== 'published') return false;
    if (filter.audiences && !filter.audiences.includes(a.audience)) return false;
    if (filter.langs && !filter.langs.includes(a.lang)) return false;
    return !filter.tags?.length || filter.tags.some((t) => a.tags.includes(t));
  };
  const { allowed, vectorFilter } = allowedArticles(index, filter, allowedId);

  // Stemmed once per word and process: Snowball on every question's words was a twentieth of an answer.
  const stems = cachedTerms(question, options.lang);
  const q = model.vectorize(question, options.lang, index.synonyms.expand(stems, options.lang));
  const dense = await denseScores(index, question, options, vectorFilter);
  const numberOf = articleNumbers(model);
  const nearby: number[] = [];
  // Each candidate's dense scores by its number (a string-keyed lookup per candidate was most of the loop below).
  const slots = denseSlots(model);
  const found: DenseScores[] = [];
  for (const [id, d] of dense) {
    const a = numberOf.get(id);
    if (a === undefined) continue;
    nearby.push(a);
    found.push(d);
    slots[a] = found.length;
  }
  try {
    // The embedder's nearest are candidates whatever their words: on a large KB only candidates are scored.
    const lexical = model.scoreCandidates(q, (a) => allowed[a] === 1, { leaveOut: options.leaveOut, extra: nearby });
    return fused(model, lexical, (a) => (slots[a] ? found[slots[a]! - 1]! : NO_DENSE));
  } finally {
    for (const a of nearby) slots[a] = 0;
  }
}

interface DenseScores {
  nearest: number;
  centroid: number;
}

const NO_DENSE: DenseScores = { nearest: 0, centroid: 0 };

/** The best MAX_CANDIDATES of the candidates, each scored from its features. */
function fused(model: TermModel, lexical: CandidateScores, denseOf: (article: number) => DenseScores): Candidate[] {
  const { articles } = lexical;
  let maxBm25 = 0;
  for (const b of lexical.bm25) maxBm25 = Math.max(maxBm25, b);
  // Each candidate's features added in WEIGHTS order from 0, as doubles: the same sum as an object per article.
  const best = new TopCandidates(MAX_CANDIDATES);
  for (let i = 0; i < articles.length; i++) {
    const a = articles[i]!;
    const articleId = model.ids[a]!;
    const d = denseOf(a);
    let score = 0;
    score += WEIGHTS.nearest * lexical.nearest[i]!;
    score += WEIGHTS.second * lexical.second[i]!;
    score += WEIGHTS.centroid * Math.max(0, lexical.centroid[i]!);
    score += WEIGHTS.coverage * lexical.coverage[i]!;
    score += WEIGHTS.bm25 * (maxBm25 > 0 ? lexical.bm25[i]! / maxBm25 : 0);
    score += WEIGHTS.probability * lexical.probability[i]!;
    score += WEIGHTS.dense * d.nearest;
    score += WEIGHTS.denseCentroid * d.centroid;
    // Only the best MAX_CANDIDATES are kept as they come (ids are unique, so the order is total and the
    // result is what sorting all of them gives).
    if (score > 0 && best.admits(score, articleId)) best.offer({ articleId, score, a: i });
  }
  return best.sorted().map(({ articleId, score, a: i }) => {
    const d = denseOf(articles[i]!);
    return {
      articleId,
      score,
      features: {
        nearest: lexical.nearest[i]!,
        second: lexical.second[i]!,
        centroid: Math.max(0, lexical.centroid[i]!),
        coverage: lexical.coverage[i]!,
        bm25: maxBm25 > 0 ? lexical.bm25[i]! / maxBm25 : 0,
        probability: lexical.probability[i]!,
        dense: d.nearest,
        denseCentroid: d.centroid,
      },
    };
  });
}

const numbersCache = new WeakMap<TermModel, Map<string, number>>();
const slotsCache = new WeakMap<TermModel, Int32Array>();

/** Per model, article number → 1 + its place among a question's dense scores (0: none); all 0 between questions. */
function denseSlots(model: TermModel): Int32Array {
  let slots = slotsCache.get(model);
  // Made again if the model's articles grew since (all 0 between questions, so nothing is lost).
  if (!slots || slots.length < model.ids.length) slotsCache.set(model, (slots = new Int32Array(model.ids.length)));
  return slots;
}

/** Article id → its number in the model. */
function articleNumbers(model: TermModel): Map<string, number> {
  let numbers = numbersCache.get(model);
  if (!numbers) numbersCache.set(model, (numbers = new Map(model.ids.map((id, a) => [id, a]))));
  return numbers;
}

interface Ranked {
  articleId: string;
  score: number;
  /** Its slot among the candidates. */
  a: number;
}

/** Best first: higher score, then the smaller id. */
function rank(x: Ranked, y: Ranked): number {
  return y.score - x.score || (x.articleId < y.articleId ? -1 : 1);
}

/** The `size` best candidates offered, kept sorted (an insertion into a short list beats sorting thousands). */
class TopCandidates {
  private readonly items: Ranked[] = [];
  constructor(private readonly size: number) {}

  /** Whether a candidate would enter the list (asked first: at 10k articles most do not, and need no object). */
  admits(score: number, articleId: string): boolean {
    const last = this.items.length === this.size ? this.items[this.size - 1]! : undefined;
    return !last || score > last.score || (score === last.score && articleId < last.articleId);
  }

  offer(c: Ranked): void {
    const items = this.items;
    if (items.length === this.size && rank(c, items[items.length - 1]!) >= 0) return;
    let i = items.length;
    while (i > 0 && rank(c, items[i - 1]!) < 0) i--;
    items.splice(i, 0, c);
    if (items.length > this.size) items.pop();
  }

  sorted(): Ranked[] {
    return this.items;
  }
}

interface Allowed {
  allowed: Uint8Array;
  /**
   * The vector search's filter: null when every article is allowed (hnswlib searches unfiltered twice as
   * fast, with the same results). hnswlib calls it for every vector it visits, so a cached filter's is a
   * set lookup, not the article rules again, and the same function from request to request: the vector
   * index remembers its verdicts per vector (see HnswVectorIndex.search).
   */
  vectorFilter: ((item: VectorItem) => boolean) | null;
}

const allowedCache = new WeakMap<TermModel, Map<string, Allowed>>();
const MAX_CACHED_FILTERS = 64;

/**
 * Which articles `filter` allows, by article number. Requests repeat a few
 * filters (audience, tags), and checking every article took milliseconds per
 * question on a KB of 10k articles, so the answer is kept per model.
 * `allowedId` applies the filter's rules but its `excludeIds`, which differ
 * per call (calibration leaves each probe's own article out: 100 times per
 * 100k-article build, each checking every article and vector again): those
 * few are taken out of the cached answer for the rest of the filter.
 */
function allowedArticles(index: RetrievalIndex, filter: SearchFilter, allowedId: (id: string) => boolean): Allowed {
  const model = index.terms;
  const key = JSON.stringify([filter.publishedOnly, filter.audiences, filter.langs, filter.tags]);
  let cache = allowedCache.get(model);
  let entry = cache?.get(key);
  if (!entry) {
    const allowed = new Uint8Array(model.ids.length);
    let allowedCount = 0;
    for (let a = 0; a < allowed.length; a++) if (allowedId(model.ids[a]!)) allowedCount += allowed[a] = 1;
    const all = allowedCount === allowed.length;
    const allowedIds = new Set<string>();
    for (let a = 0; a < allowed.length; a++) if (allowed[a]) allowedIds.add(model.ids[a]!);
    if (!cache) allowedCache.set(model, (cache = new Map()));
    if (cache.size >= MAX_CACHED_FILTERS) cache.clear();
    entry = { allowed, vectorFilter: all ? null : (item) => allowedIds.has(item.articleId) };
    cache.set(key, entry);
  }
  const { excludeIds } = filter;
  if (!excludeIds?.size) return entry;
  const numbers = articleNumbers(model);
  const allowed = entry.allowed.slice();
  let excluded = 0;
  for (const id of excludeIds) {
    const a = numbers.get(id);
    if (a === undefined || !allowed[a]) continue;
    allowed[a] = 0;
    excluded++;
  }
  if (!excluded) return entry;
  const rest = entry.vectorFilter;
  return { allowed, vectorFilter: (item) => (!rest || rest(item)) && !excludeIds.has(item.articleId) };
}

/** The embedder's nearest unit vectors per article, and the article centroids of those found. */
async function denseScores(
  index: RetrievalIndex,
  question: string,
  options: RetrieveOptions,
  allowed: ((item: VectorItem) => boolean) | null,
): Promise<Map<string, { nearest: number; centroid: number }>> {
  const out = new Map<string, { nearest: number; centroid: number }>();
  if (!WEIGHTS.dense && !WEIGHTS.denseCentroid) return out;
  const [vector] = await index.embedder.embed([question], 'query', options.lang);
  const left = options.leaveOut === undefined ? undefined : index.terms.units.at(options.leaveOut);
  const leftId = left && index.terms.ids[left.article];
  const filter = left
    ? (item: VectorItem) => (!allowed || allowed(item)) && !(item.articleId === leftId && item.text === left.text)
    : (allowed ?? undefined);
  const hits = index.vectors.search(vector!, VECTOR_K, filter);
  for (const hit of hits) {
    const current = out.get(hit.item.articleId);
    if (current) current.nearest = Math.max(current.nearest, hit.similarity);
    else {
      const c = index.centroids.dot(hit.item.articleId, vector!);
      out.set(hit.item.articleId, {
        nearest: Math.max(0, hit.similarity),
        centroid: c === undefined ? 0 : Math.max(0, c),
      });
    }
  }
  return out;
}
