import type { Lang } from '../contracts/api.ts';
import type { Article } from '../articles/types.ts';
import type { Embedder, FullTextIndex, SearchFilter, VectorIndex } from '../search/ports.ts';

/** What retrieval needs from a loaded index. */
export interface RetrievalIndex {
  articles: ReadonlyMap<string, Article>;
  fullText: FullTextIndex;
  vectors: VectorIndex;
  /** Normalised mean of each article's unit vectors: the article as one point. */
  centroids: ReadonlyMap<string, Float32Array>;
  embedder: Embedder;
}

export interface Candidate {
  articleId: string;
  /** Fused relevance, 0..1. */
  score: number;
  features: { nearest: number; second: number; centroid: number; bm25: number };
}

export interface RetrieveOptions {
  lang: Lang;
  filter: SearchFilter;
  /** Leave out the vector of this exact text (calibration on the KB's own questions). */
  excludeLabel?: number;
}

/** Fusion weights, chosen on dev sets (see README, "Answer quality"). */
export const WEIGHTS = { nearest: 0.35, second: 0.1, centroid: 0.4, bm25: 0.15 };
const BM25_SATURATION = 8;
const VECTOR_K = 40;
const TEXT_K = 25;

/**
 * Find the candidate articles for a question and score each from several
 * signals: its nearest listed question or chunk (kNN), the runner-up unit,
 * the article's centroid, and BM25 over the article's fields.
 */
export async function retrieve(index: RetrievalIndex, question: string, options: RetrieveOptions): Promise<Candidate[]> {
  const { filter } = options;
  const [queryVector] = await index.embedder.embed([question], 'query', options.lang);
  const allowed = (articleId: string) => {
    const a = index.articles.get(articleId);
    if (!a) return false;
    if (filter.publishedOnly !== false && a.status !== 'published') return false;
    if (filter.audiences && !filter.audiences.includes(a.audience)) return false;
    if (filter.langs && !filter.langs.includes(a.lang)) return false;
    if (filter.tags?.length && !filter.tags.some((t) => a.tags.includes(t))) return false;
    return !filter.excludeIds?.has(articleId);
  };

  const unitSims = new Map<string, number[]>();
  const vectorHits = index.vectors.search(queryVector!, VECTOR_K, (item) => item.label !== options.excludeLabel && allowed(item.articleId));
  for (const hit of vectorHits) {
    const list = unitSims.get(hit.item.articleId) ?? [];
    list.push(Math.max(0, hit.similarity));
    unitSims.set(hit.item.articleId, list);
  }
  const textHits = await index.fullText.search(question, { lang: options.lang, filter, limit: TEXT_K });
  const bm25 = new Map(textHits.map((h) => [h.id, h.score]));

  const candidates: Candidate[] = [];
  for (const articleId of new Set([...unitSims.keys(), ...bm25.keys()])) {
    if (!allowed(articleId)) continue;
    const sims = (unitSims.get(articleId) ?? []).sort((a, b) => b - a);
    const centroid = index.centroids.get(articleId);
    const c = centroid ? Math.max(0, dot(queryVector!, centroid)) : 0;
    const b = bm25.get(articleId) ?? 0;
    const features = { nearest: sims[0] ?? 0, second: sims[1] ?? 0, centroid: c, bm25: b / (b + BM25_SATURATION) };
    const score = WEIGHTS.nearest * features.nearest + WEIGHTS.second * features.second + WEIGHTS.centroid * features.centroid + WEIGHTS.bm25 * features.bm25;
    candidates.push({ articleId, score, features });
  }
  return candidates.sort((a, b) => b.score - a.score);
}

export function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
