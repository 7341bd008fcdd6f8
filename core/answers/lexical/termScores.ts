import { candidateScratch, type CandidateScratch } from './candidates.ts';

/** Per-article evidence for one question, indexed like `TermModel.ids`. */
export interface TermScores {
  /** Cosine to the article's closest phrasing, and to its runner-up. */
  nearest: Float32Array;
  second: Float32Array;
  /** Cosine to the mean of the article's phrasings. */
  centroid: Float32Array;
  /** Share of the question's weight found anywhere in the article. */
  coverage: Float32Array;
  /** BM25 over the whole article (unnormalised). */
  bm25: Float32Array;
  /** The classifier's probability, over the allowed articles. */
  probability: Float32Array;
}

/** The evidence of a question's candidate articles: `articles[i]`'s in slot i of each array. */
export interface CandidateScores extends TermScores {
  /** The candidates' numbers (as in `TermModel.ids`), in increasing order. */
  articles: Int32Array;
}

/**
 * The per-article and per-unit arrays one model scores its candidates into,
 * made once and cleared after each question (a question allocates nothing
 * the size of the KB).
 */
export interface ScoringScratch {
  candidates: CandidateScratch;
  unitMask: Uint8Array;
  sims: Float32Array;
  centroid: Float32Array;
  coverage: Float32Array;
  bm25: Float32Array;
  probability: Float64Array;
}

/** `classifierArticles`: how many articles the classifier tells apart (its probabilities' length), when there is one. */
export function scoringScratch(articles: number, units: number, classifierArticles?: number): ScoringScratch {
  return {
    candidates: candidateScratch(articles),
    unitMask: new Uint8Array(units),
    sims: new Float32Array(units),
    centroid: new Float32Array(articles),
    coverage: new Float32Array(articles),
    bm25: new Float32Array(articles),
    probability: new Float64Array(classifierArticles ?? articles),
  };
}

export function emptyCandidateScores(articles: Int32Array): CandidateScores {
  return { articles, ...emptyScores(articles.length) };
}

export function emptyScores(articles: number): TermScores {
  return {
    nearest: new Float32Array(articles),
    second: new Float32Array(articles),
    centroid: new Float32Array(articles),
    coverage: new Float32Array(articles),
    bm25: new Float32Array(articles),
    probability: new Float32Array(articles),
  };
}
