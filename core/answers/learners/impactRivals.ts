import type { Csr } from '../lexical/csr.ts';
import type { SparseVector } from './softmaxRegression.ts';
import { chosen, kthSmallest } from './select.ts';

/** How far `impactRivals` looks: postings read per article, and candidates scored exactly per article. */
export interface RivalBudget {
  /** Postings each article reads, the largest products with its own weights first. */
  reads: number;
  /** Candidates per article kept from the partial scores and then scored exactly. */
  pool: number;
}

/**
 * About 90 % of the exact rivals at 10k articles of the realistic KB (87 % at 20k), in 80–85 % of the exact
 * search's CPU there and 60 % at 20k (bench/rivalsRecall.ts; RESULTS.md).
 */
export const RIVAL_BUDGET: RivalBudget = { reads: 16384, pool: 64 };

/**
 * Every article's rivals (itself and k − 1 others, as `allRivals`), found
 * without comparing every pair: the exact search reads every feature's
 * whole postings for each of its articles, Σ df² over the features, and the
 * common 4-grams are in nearly every article, so it grows with the square
 * of the KB. Here each feature's postings are ordered by weight, and each
 * article reads, of each of its features, only the postings whose product
 * with its own weight is above one threshold, set so that it reads about
 * `reads` postings in all: the largest terms of its dot products. The
 * `pool` articles of the highest partial sums are then scored in full and
 * the best k − 1 kept. That is about `reads` postings per article, linear
 * in the KB; an article that reads all its postings within the budget
 * gets the exact lists. A rival whose score is made of many small terms
 * can be missed: the lists are close rivals, not always the closest.
 */
export function impactRivals(
  postings: Csr,
  sums: readonly SparseVector[],
  k: number,
  budget: RivalBudget = RIVAL_BUDGET,
): Int32Array[] {
  const articles = sums.length;
  if (articles <= k) return sums.map(() => Int32Array.from({ length: articles }, (_, i) => i));
  const search = new ImpactSearch(impactOrdered(postings), sums, k, budget);
  return sums.map((_, a) => search.rivalsOf(a));
}

/**
 * `impactRivals`'s search one article at a time, over postings already
 * ordered by `impactOrdered`: each article's list depends on the article
 * alone, so threads sharing the order can each take some articles
 * (core/indexing/rivalsShare.ts) and the lists are the same. Needs more than
 * k articles.
 */
export class ImpactSearch {
  private readonly row: Float32Array;
  private readonly touched: Int32Array;
  private readonly scores: Float32Array;
  private readonly weightOf: Float32Array;

  constructor(
    private readonly ordered: Ordered,
    private readonly sums: readonly SparseVector[],
    private readonly k: number,
    private readonly budget: RivalBudget = RIVAL_BUDGET,
  ) {
    const articles = sums.length;
    if (articles > 2 ** 21) throw new RangeError(`rivals of more than 2^21 articles (${articles})`);
    this.row = new Float32Array(articles);
    this.touched = new Int32Array(articles);
    this.scores = new Float32Array(articles);
    this.weightOf = new Float32Array(ordered.starts.length - 1);
  }

  /** Article `a`'s rivals: itself and k − 1 others, ascending. */
  rivalsOf(a: number): Int32Array {
    const { starts, rows, values } = this.ordered;
    const { row, touched, budget } = this;
    const q = this.sums[a]!;
    const least = threshold(this.ordered, q, budget.reads);
    let n = 0;
    for (let i = 0; i < q.ids.length; i++) {
      const f = q.ids[i]!;
      const w = q.w[i]!;
      for (let p = starts[f]!, end = starts[f + 1]!; p < end; p++) {
        const term = w * values[p]!;
        if (term < least) break;
        const b = rows[p]!;
        touched[n] = b;
        n += row[b] === 0 ? 1 : 0;
        row[b]! += term;
      }
    }
    const candidates = best(touched, n, row, this.scores, a, budget.pool, this.k - 1);
    // best() kept the touched others at the front; the article itself may be among those it dropped.
    for (let i = 0; i < n; i++) row[touched[i]!] = 0;
    row[a] = 0;
    return closest(this.sums, a, candidates, this.weightOf, this.k);
  }
}

/** Bisection rounds for an article's threshold: within a few per cent of the budget over the range of its products. */
const ROUNDS = 7;

/** Postings in `impactOrdered`'s order: each feature's by weight, largest first. */
export interface Ordered {
  starts: Int32Array;
  rows: Int32Array;
  values: Float32Array;
}

/**
 * Each feature's postings by weight, largest first (ties: the higher row
 * first); into `into` when given (arrays as long as the postings', e.g. on
 * memory another thread reads).
 */
export function impactOrdered(
  { starts, rows, values }: Csr,
  into: { rows: Int32Array; values: Float32Array } = {
    rows: new Int32Array(rows.length),
    values: new Float32Array(rows.length),
  },
): Ordered {
  // A positive float32's bits order as its value does: bits · 2^21 + row is one exact double, sorted natively.
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
  const keys = new Float64Array(bits.length);
  for (let p = 0; p < bits.length; p++) keys[p] = bits[p]! * 2 ** 21 + rows[p]!;
  const out = { starts, rows: into.rows, values: into.values };
  const asBits = new Uint32Array(out.values.buffer, out.values.byteOffset, out.values.length);
  for (let f = 0; f + 1 < starts.length; f++) {
    const from = starts[f]!;
    const end = starts[f + 1]!;
    const sorted = keys.subarray(from, end).sort();
    for (let i = 0; i < sorted.length; i++) {
      const key = sorted[sorted.length - 1 - i]!;
      const row = key % 2 ** 21;
      out.rows[from + i] = row;
      asBits[from + i] = (key - row) / 2 ** 21;
    }
  }
  return out;
}

/** The least product with `q`'s weights an article reads: about `reads` postings above it (0: all of them). */
function threshold({ starts, values }: Ordered, q: SparseVector, reads: number): number {
  let all = 0;
  let high = 0;
  let low = Infinity;
  for (let i = 0; i < q.ids.length; i++) {
    const f = q.ids[i]!;
    const from = starts[f]!;
    const end = starts[f + 1]!;
    if (end === from) continue;
    all += end - from;
    high = Math.max(high, q.w[i]! * values[from]!);
    low = Math.min(low, q.w[i]! * values[end - 1]!);
  }
  if (all <= reads) return 0;
  // Bisection on the logarithm, a binary search per feature each round: the budget need not be met closely.
  let below = Math.log(low);
  let above = Math.log(high);
  for (let round = 0; round < ROUNDS; round++) {
    const middle = (below + above) / 2;
    const t = Math.exp(middle);
    let count = 0;
    for (let i = 0; i < q.ids.length && count <= reads; i++) {
      const f = q.ids[i]!;
      count += atLeast(values, starts[f]!, starts[f + 1]!, t / q.w[i]!) - starts[f]!;
    }
    if (count > reads) below = middle;
    else above = middle;
  }
  return Math.exp(above);
}

/** The first position from `from` whose value is below `least` (values descending), or `end`. */
function atLeast(values: Float32Array, from: number, end: number, least: number): number {
  let lo = from;
  let hi = end;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid]! >= least) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The `pool` touched articles (not `article`) of the highest partial scores,
 * or all when fewer; at least `need`: when fewer were touched, the
 * lowest-numbered others fill in, as the plain row's ties at 0 do.
 */
function best(
  touched: Int32Array,
  n: number,
  row: Float32Array,
  scores: Float32Array,
  article: number,
  pool: number,
  need: number,
): Int32Array {
  let live = 0;
  for (let i = 0; i < n; i++) {
    const b = touched[i]!;
    if (b === article) continue;
    touched[live] = b;
    scores[live++] = row[b]!;
  }
  if (live > pool) {
    const threshold = kthSmallest(scores.subarray(0, live), live - pool);
    const out = new Int32Array(pool);
    let m = 0;
    for (let i = 0; i < live && m < pool; i++) if (row[touched[i]!]! > threshold) out[m++] = touched[i]!;
    for (let i = 0; i < live && m < pool; i++) if (row[touched[i]!] === threshold) out[m++] = touched[i]!;
    return out;
  }
  const out = touched.slice(0, live);
  if (live >= need) return out;
  const have = new Set(out);
  const filled = [...out];
  for (let b = 0; filled.length < need; b++) if (b !== article && !have.has(b)) filled.push(b);
  return Int32Array.from(filled);
}

/**
 * The article and the k − 1 candidates whose sums have the largest dot
 * product with its own (ties: the lower index), in ascending order as the
 * exact search gives them. `weightOf` is scratch, one slot per feature,
 * all 0; left all 0.
 */
function closest(
  sums: readonly SparseVector[],
  article: number,
  candidates: Int32Array,
  weightOf: Float32Array,
  k: number,
): Int32Array {
  const q = sums[article]!;
  for (let i = 0; i < q.ids.length; i++) weightOf[q.ids[i]!] = q.w[i]!;
  const scored = Array.from(candidates, (b) => {
    const v = sums[b]!;
    let dot = 0;
    for (let j = 0; j < v.ids.length; j++) dot += weightOf[v.ids[j]!]! * v.w[j]!;
    return { b, dot };
  });
  for (let i = 0; i < q.ids.length; i++) weightOf[q.ids[i]!] = 0;
  // The (k − 1)-th best, then the order the exact lists give: those above it by index, then those equal.
  const kth = scored.map((s) => s.dot).sort((x, y) => y - x)[k - 2] ?? 0;
  return chosen(
    article,
    Int32Array.from(scored, (s) => s.b),
    scored.map((s) => s.dot),
    kth,
    k,
  );
}
