import { kthSmallest } from '../learners/select.ts';
import type { SparseVector } from '../learners/softmaxRegression.ts';
import type { WordBags } from './wordBags.ts';

/**
 * Up to this many articles, every allowed article is a candidate: scoring
 * them all costs less than choosing, and the answers are exactly those of
 * scoring everything (every evaluation KB is far below it).
 */
export const FULL_SCORING_MAX = 2000;
/**
 * Candidates by the rare words a question shares with them. 300 rather than 1,000: on the bench's KBs
 * (bench/kbQuality.ts) every acc@1, answered and offered figure was the same at 10k and 100k articles, no
 * question's action changed (4,000 at 10k, 2,000 at 100k) and 1 and 3 best articles did, for about a sixth
 * less CPU per question; at 150 an action changed, at 60 five did. The walks read the same postings whatever
 * the candidates, so fewer saves what is summed and searched per candidate.
 */
export const OVERLAP_CANDIDATES = 300;
/** A word (or 4-gram) is rare when at most this share of the articles contain it. */
export const RARE_SHARE = 0.1;
/** Candidates by the classifier's probability (computed over every article anyway: its softmax needs them all). */
export const CLASSIFIER_CANDIDATES = 50;

/** Per-model scratch arrays, one slot per article, reused by every question (all zero between questions). */
export interface CandidateScratch {
  overlap: Float64Array;
  touched: Int32Array;
  /** The touched articles' overlaps, for the order statistic (no need to be zero). */
  values: Float64Array;
  /** 1 for the current question's candidates. */
  mask: Uint8Array;
}

export function candidateScratch(articles: number): CandidateScratch {
  return {
    overlap: new Float64Array(articles),
    touched: new Int32Array(articles),
    values: new Float64Array(articles),
    mask: new Uint8Array(articles),
  };
}

/**
 * The articles whose lexical evidence is worth computing in full for `q`, in
 * increasing order, marked in `scratch.mask` (the caller clears the marks).
 * On a large KB nearly every article shares a common word or 4-gram with any
 * question, so scoring every article costs milliseconds, most of it on
 * articles that end far from the top. The candidates are the union of: the
 * articles sharing the most of the question's rare words (its weight² over
 * them), `extra` (the embedder's nearest), and the classifier's most probable.
 * An article outside them is not scored, so it is not retrieved.
 */
export function candidateArticles(input: {
  q: SparseVector;
  bags: WordBags;
  articles: number;
  allowed: (article: number) => boolean;
  probability: Float64Array | null;
  extra: Iterable<number>;
  scratch: CandidateScratch;
  /** Every allowed article, whatever the size (`TermModel.score`). */
  all?: boolean;
}): Int32Array {
  const { q, bags, articles, allowed, probability, scratch } = input;
  const { mask } = scratch;
  const out: number[] = [];
  const add = (a: number) => {
    if (mask[a] || !allowed(a)) return;
    mask[a] = 1;
    out.push(a);
  };
  if (input.all || articles <= FULL_SCORING_MAX) {
    for (let a = 0; a < articles; a++) add(a);
    return Int32Array.from(out);
  }
  byOverlap(q, bags, articles, allowed, scratch, add);
  for (const a of input.extra) add(a);
  if (probability) for (const a of topIndices(probability, CLASSIFIER_CANDIDATES, allowed)) add(a);
  return Int32Array.from(out).sort();
}

/**
 * Gives `take` the OVERLAP_CANDIDATES allowed articles sharing the most
 * rare-word weight with `q` (ties: the smaller number). It works in the
 * scratch arrays: at 10k articles a question touches thousands, and the
 * arrays it made for them were two thirds of what a question allocated
 * (each scavenge of them a pause of milliseconds on the question it hit).
 */
function byOverlap(
  q: SparseVector,
  bags: WordBags,
  articles: number,
  allowed: (article: number) => boolean,
  scratch: CandidateScratch,
  take: (article: number) => void,
): void {
  const { overlap, touched, values } = scratch;
  const n = bags.rareOverlap(q, Math.floor(RARE_SHARE * articles), overlap, touched);
  try {
    // The allowed ones moved to the front of `touched`, in order; the others' overlap cleared now, as their slots are reused.
    let kept = 0;
    for (let i = 0; i < n; i++) {
      const a = touched[i]!;
      if (allowed(a)) touched[kept++] = a;
      else overlap[a] = 0;
    }
    if (kept <= OVERLAP_CANDIDATES) {
      for (let i = 0; i < kept; i++) take(touched[i]!);
      return;
    }
    for (let i = 0; i < kept; i++) values[i] = overlap[touched[i]!]!;
    const threshold = kthSmallest(values.subarray(0, kept), kept - OVERLAP_CANDIDATES);
    let taken = 0;
    for (let i = 0; i < kept; i++)
      if (overlap[touched[i]!]! > threshold) {
        take(touched[i]!);
        taken++;
      }
    // Ties at the threshold: the smaller numbers. A question's common rare words tie thousands of articles, so
    // they are found in number order (only touched, allowed articles have a non-zero overlap) instead of sorted.
    for (let a = 0; a < articles && taken < OVERLAP_CANDIDATES; a++)
      if (overlap[a] === threshold) {
        take(a);
        taken++;
      }
  } finally {
    // Every touched article: the allowed ones are at the front, the others were cleared above.
    for (let i = 0; i < n; i++) overlap[touched[i]!] = 0;
  }
}

/** The `k` allowed indices with the largest values (ties: the smaller index), in one pass. */
function topIndices(values: Float64Array, k: number, allowed: (i: number) => boolean): number[] {
  const top: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (top.length === k && v <= values[top[k - 1]!]!) continue;
    if (!allowed(i)) continue;
    let j = top.length;
    while (j > 0 && values[top[j - 1]!]! < v) j--;
    top.splice(j, 0, i);
    if (top.length > k) top.pop();
  }
  return top;
}
