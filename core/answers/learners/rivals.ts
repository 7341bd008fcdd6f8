import type { Csr } from '../lexical/csr.ts';
import type { SparseVector } from './softmaxRegression.ts';
import { chosen, kthSmallest } from './select.ts';
import { impactRivals } from './impactRivals.ts';

/**
 * Pairs of articles sharing a feature, per article, up to which the exact
 * search runs: at 10k articles of the realistic KB it is 148k and the exact
 * search costs more than `impactRivals`; at 1k, 14k.
 */
const EXACT_PAIRS_PER_ARTICLE = 100_000;

/** How a classifier finds its rivals: `classifierRivals`, or the same lists found with another thread's help. */
export type RivalsFinder = (postings: Csr, sums: readonly SparseVector[], k: number) => Int32Array[];

/**
 * Another thread's help with a fit's rivals (core/indexing/rivalsShare.ts):
 * shown the centroids as soon as they are built, it starts on them while the
 * fit goes on; `find` then gives the lists `classifierRivals` would.
 */
export interface RivalsHelp {
  begin(postings: Csr, sums: readonly SparseVector[], k: number): void;
  find: RivalsFinder;
}

/**
 * The classifier's rivals: `allRivals`'s exact lists while its cost (the
 * pairs of articles sharing each feature, Σ df² / 2) stays within
 * `EXACT_PAIRS_PER_ARTICLE` per article, `impactRivals`'s beyond, whose
 * cost grows with the KB and not with its square.
 */
export function classifierRivals(postings: Csr, sums: readonly SparseVector[], k: number): Int32Array[] {
  return exactRivalsPay(postings, sums.length) ? allRivals(postings, sums, k) : impactRivals(postings, sums, k);
}

/** Whether `classifierRivals` takes the exact search on these postings of `articles` articles. */
export function exactRivalsPay({ starts }: Csr, articles: number): boolean {
  let pairs = 0;
  for (let f = 0; f + 1 < starts.length; f++)
    pairs += ((starts[f + 1]! - starts[f]!) * (starts[f + 1]! - starts[f]! - 1)) / 2;
  return pairs <= EXACT_PAIRS_PER_ARTICLE * articles;
}

/** Rivals kept per article beyond the k − 1 needed: room for the final exact scores to reorder them. */
const SPARE = 8;

/**
 * Every article's rivals: itself and the k − 1 articles whose centroid sums
 * have the largest dot product with its own (`topIndices` of its row of
 * dot products, its own slot first-rate), the lists the classifier trains
 * its shortlists on. Each article's row read through the postings costs the
 * postings of all its features (a common 4-gram's hold nearly every
 * article): O(KB²) over the build. This gives the same lists, in the same
 * order, from half the postings:
 *
 * 1. Each pair's dot product is summed once, from the article that comes
 *    first, and offered to both articles' best k − 1 + SPARE.
 * 2. Each article's kept rivals are scored exactly as the plain row does
 *    it (float32, its own features in its own order), so ties and the last
 *    bits come out the same, and the best k − 1 chosen as `topIndices` does.
 * 3. That holds when every article it did not keep scores below the k-th by
 *    more than float32's rounding; when that cannot be shown (near-ties at
 *    the edge, or too few articles sharing a feature) its row is read the
 *    plain way.
 */
export function allRivals(postings: Csr, sums: readonly SparseVector[], k: number): Int32Array[] {
  const articles = sums.length;
  if (articles <= k) return sums.map(() => Int32Array.from({ length: articles }, (_, i) => i));
  const kept = new BestOf(articles, k - 1 + SPARE);
  const { starts, rows, values } = postings;
  // Each feature's cursor only moves forward as the article does: that needs its rows in ascending order (Csr.build's).
  if (!ascending(postings)) return sums.map((_, a) => plainRivals(postings, sums, a, k));
  const cursor = starts.slice(0, starts.length - 1);
  // float32, as the plain row: half the cache of doubles, and the margin below covers its rounding.
  const row = new Float32Array(articles);
  let longest = 0;
  for (let a = 0; a < articles; a++) {
    const q = sums[a]!;
    longest = Math.max(longest, q.ids.length);
    row.fill(0, a + 1);
    for (let i = 0; i < q.ids.length; i++) {
      const f = q.ids[i]!;
      const end = starts[f + 1]!;
      let p = cursor[f]!;
      while (p < end && rows[p]! <= a) p++;
      cursor[f] = p;
      const w = q.w[i]!;
      for (; p < end; p++) row[rows[p]!]! += w * values[p]!;
    }
    for (let b = a + 1; b < articles; b++) {
      const value = row[b]!;
      if (value <= 0) continue;
      kept.offer(a, b, value);
      kept.offer(b, a, value);
    }
  }
  // float32 sums of m positive terms round by at most m · 2^-24 of the sum, both the ones kept and the exact ones.
  const margin = 1 + 1e-4 + longest * 2 ** -21;
  const scratch: Scratch = { position: new Int32Array(starts.length - 1) };
  return sums.map((_, a) => certified(scratch, sums, a, k, kept, margin) ?? plainRivals(postings, sums, a, k));
}

function ascending({ starts, rows }: Csr): boolean {
  for (let f = 0; f + 1 < starts.length; f++)
    for (let p = starts[f]! + 1; p < starts[f + 1]!; p++) if (rows[p - 1]! >= rows[p]!) return false;
  return true;
}

/** One article's rivals the plain way: its row of dot products with every article, through the postings. */
export function plainRivals(postings: Csr, sums: readonly SparseVector[], article: number, k: number): Int32Array {
  const sims = new Float32Array(sums.length);
  postings.accumulate(sums[article]!, sims);
  sims[article] = Infinity;
  return topIndices(sims, k);
}

/** The article's rivals from those it kept, or null when the others cannot be shown to fall below them. */
function certified(
  scratch: Scratch,
  sums: readonly SparseVector[],
  article: number,
  k: number,
  kept: BestOf,
  margin: number,
): Int32Array | null {
  const need = k - 1;
  const candidates = kept.of(article);
  if (candidates.length < need) return null;
  const exact = exactScores(scratch, sums, article, candidates);
  const kth = kthSmallest(Float32Array.from(exact), exact.length - need);
  // What an article it did not keep can score: below the least it kept (or 0, touched by no feature, when it kept all).
  const outside = kept.full(article) ? kept.least(article) : 0;
  if (!(outside * margin < kth)) return null;
  return chosen(article, candidates, exact, kth, k);
}

/** Each candidate's score as `Csr.accumulate` gives it: float32, the article's features in its own order. */
function exactScores(
  scratch: Scratch,
  sums: readonly SparseVector[],
  article: number,
  candidates: Int32Array,
): Float32Array {
  const q = sums[article]!;
  const { position } = scratch;
  const m = q.ids.length;
  const terms = new Float64Array(m);
  const present = new Uint8Array(m);
  const out = new Float32Array(candidates.length);
  const sum = new Float32Array(1);
  for (let k = 0; k < m; k++) position[q.ids[k]!] = k + 1;
  try {
    candidates.forEach((b, c) => {
      const v = sums[b]!;
      for (let j = 0; j < v.ids.length; j++) {
        const at = position[v.ids[j]!]! - 1;
        if (at < 0) continue;
        terms[at] = q.w[at]! * v.w[j]!;
        present[at] = 1;
      }
      sum[0] = 0;
      for (let at = 0; at < m; at++)
        if (present[at]) {
          sum[0]! += terms[at]!;
          present[at] = 0;
        }
      out[c] = sum[0]!;
    });
  } finally {
    for (let k = 0; k < m; k++) position[q.ids[k]!] = 0;
  }
  return out;
}

/** Per feature: 1 + its position in the article being scored, 0 for features it lacks (all 0 between articles). */
interface Scratch {
  position: Int32Array;
}

/** Indices of the `k` largest values, in no particular order. */
export function topIndices(values: Float32Array, k: number): Int32Array {
  if (values.length <= k) return Int32Array.from(values.keys());
  // The k-th largest by selection, not a full sort: on a KB of 10k articles this ran 10k sorts of 10k values per training.
  const threshold = kthSmallest(Float32Array.from(values), values.length - k);
  const out: number[] = [];
  for (let i = 0; i < values.length && out.length < k; i++) if (values[i]! > threshold) out.push(i);
  for (let i = 0; i < values.length && out.length < k; i++) if (values[i] === threshold) out.push(i);
  return Int32Array.from(out);
}

/** For each article, the `size` other articles offered with the largest scores (a min-heap each, in flat arrays). */
class BestOf {
  private readonly values: Float64Array;
  private readonly items: Int32Array;
  private readonly sizes: Int32Array;
  /** Each heap's least value once full (-Infinity before): the test most offers stop at, kept apart to stay in cache. */
  private readonly floor: Float64Array;

  constructor(
    articles: number,
    private readonly size: number,
  ) {
    this.values = new Float64Array(articles * size);
    this.items = new Int32Array(articles * size);
    this.sizes = new Int32Array(articles);
    this.floor = new Float64Array(articles).fill(-Infinity);
  }

  offer(article: number, item: number, value: number): void {
    if (value <= this.floor[article]!) return;
    const base = article * this.size;
    const { values, items } = this;
    let n = this.sizes[article]!;
    if (n < this.size) {
      // Sift up.
      let i = n++;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (values[base + parent]! <= value) break;
        values[base + i] = values[base + parent]!;
        items[base + i] = items[base + parent]!;
        i = parent;
      }
      values[base + i] = value;
      items[base + i] = item;
      this.sizes[article] = n;
      if (n === this.size) this.floor[article] = values[base]!;
      return;
    }
    // Replace the root, sift down.
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && values[base + r]! < values[base + l]! ? r : l;
      if (values[base + c]! >= value) break;
      values[base + i] = values[base + c]!;
      items[base + i] = items[base + c]!;
      i = c;
    }
    values[base + i] = value;
    items[base + i] = item;
    this.floor[article] = values[base]!;
  }

  of(article: number): Int32Array {
    const base = article * this.size;
    return this.items.slice(base, base + this.sizes[article]!);
  }

  full(article: number): boolean {
    return this.sizes[article] === this.size;
  }

  least(article: number): number {
    return this.values[article * this.size]!;
  }
}
