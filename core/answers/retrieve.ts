import type { Lang } from '../contracts/api.ts';
import type { Article } from '../articles/types.ts';
import type { Embedder, FullTextIndex, SearchFilter, VectorIndex } from '../search/ports.ts';
import type { SynonymTable } from '../search/synonyms.ts';
import { terms } from '../text/analyze.ts';
import type { TermModel } from './termModel.ts';

/** What retrieval needs from a loaded index. */
export interface RetrievalIndex {
  articles: ReadonlyMap<string, Article>;
  fullText: FullTextIndex;
  vectors: VectorIndex;
  /** Normalised mean of each article's unit vectors: the article as one point. */
  centroids: ReadonlyMap<string, Float32Array>;
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
export const WEIGHTS: CandidateFeatures = { nearest: 0.122, second: 0.008, centroid: 0.232, coverage: 0.127, bm25: 0.084, probability: 0.307, dense: 0.053, denseCentroid: 0.067 };
const VECTOR_K = 40;
const MAX_CANDIDATES = 50;

/**
 * Find the candidate articles for a question and score each from several
 * signals: the KB's lexical model (closest phrasing, centroid, coverage,
 * BM25, classifier) and the embedder's nearest unit vectors.
 */
export async function retrieve(index: RetrievalIndex, question: string, options: RetrieveOptions): Promise<Candidate[]> {
  const { filter } = options;
  const model = index.terms;
  const allowedId = (articleId: string) => {
    const a = index.articles.get(articleId);
    if (!a) return false;
    if (filter.publishedOnly !== false && a.status !== 'published') return false;
    if (filter.audiences && !filter.audiences.includes(a.audience)) return false;
    if (filter.langs && !filter.langs.includes(a.lang)) return false;
    if (filter.tags?.length && !filter.tags.some((t) => a.tags.includes(t))) return false;
    return !filter.excludeIds?.has(articleId);
  };
  const allowed = Uint8Array.from(model.ids, (id) => (allowedId(id) ? 1 : 0));

  const q = model.vectorize(question, options.lang, index.synonyms.expand(terms(question, options.lang), options.lang));
  const lexical = model.score(q, (a) => allowed[a] === 1, options.leaveOut);
  const dense = await denseScores(index, question, options, allowedId);

  let maxBm25 = 0;
  for (const b of lexical.bm25) maxBm25 = Math.max(maxBm25, b);
  const candidates: Candidate[] = [];
  model.ids.forEach((articleId, a) => {
    if (!allowed[a]) return;
    const d = dense.get(articleId);
    const features: CandidateFeatures = {
      nearest: lexical.nearest[a]!,
      second: lexical.second[a]!,
      centroid: Math.max(0, lexical.centroid[a]!),
      coverage: lexical.coverage[a]!,
      bm25: maxBm25 > 0 ? lexical.bm25[a]! / maxBm25 : 0,
      probability: lexical.probability[a]!,
      dense: d?.nearest ?? 0,
      denseCentroid: d?.centroid ?? 0,
    };
    let score = 0;
    for (const k of Object.keys(WEIGHTS) as (keyof CandidateFeatures)[]) score += WEIGHTS[k] * features[k];
    if (score > 0) candidates.push({ articleId, score, features });
  });
  return candidates.sort((x, y) => y.score - x.score || (x.articleId < y.articleId ? -1 : 1)).slice(0, MAX_CANDIDATES);
}

/** The embedder's nearest unit vectors per article, and the article centroids of those found. */
async function denseScores(index: RetrievalIndex, question: string, options: RetrieveOptions, allowed: (id: string) => boolean): Promise<Map<string, { nearest: number; centroid: number }>> {
  const out = new Map<string, { nearest: number; centroid: number }>();
  if (!WEIGHTS.dense && !WEIGHTS.denseCentroid) return out;
  const [vector] = await index.embedder.embed([question], 'query', options.lang);
  const left = options.leaveOut === undefined ? undefined : index.terms.units[options.leaveOut];
  const leftId = left && index.terms.ids[left.article];
  const hits = index.vectors.search(vector!, VECTOR_K, (item) => allowed(item.articleId) && !(item.articleId === leftId && item.text === left!.text));
  for (const hit of hits) {
    const current = out.get(hit.item.articleId);
    if (current) current.nearest = Math.max(current.nearest, hit.similarity);
    else {
      const c = index.centroids.get(hit.item.articleId);
      out.set(hit.item.articleId, { nearest: Math.max(0, hit.similarity), centroid: c ? Math.max(0, dot(vector!, c)) : 0 });
    }
  }
  return out;
}

export function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
