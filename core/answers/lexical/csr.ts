import type { SparseVector } from '../learners/softmaxRegression.ts';

/**
 * Postings in compressed sparse rows: for each feature, the rows (units or
 * articles) that contain it and their weights, in three flat arrays. A
 * question's scores against every row are one pass over its features.
 */
export class Csr {
  private constructor(
    readonly starts: Int32Array,
    /** 16-bit when restored from a file that stored them so (their rows fit); the row numbers are the same. */
    readonly rows: Int32Array | Uint16Array,
    readonly values: Float32Array,
  ) {}

  /** Postings saved from `starts`, `rows` and `values` (views on a snapshot's bytes); throws when they cannot be one. */
  static restore(starts: Int32Array, rows: Int32Array | Uint16Array, values: Float32Array): Csr {
    if (rows.length !== values.length || starts[starts.length - 1] !== rows.length)
      throw new Error('postings arrays disagree on their sizes');
    return new Csr(starts, rows, values);
  }

  static build(features: number, entries: { row: number; vector: SparseVector }[]): Csr {
    const starts = new Int32Array(features + 1);
    for (const { vector } of entries) for (const id of vector.ids) starts[id + 1]!++;
    for (let f = 0; f < features; f++) starts[f + 1]! += starts[f]!;
    const fill = starts.slice(0, features);
    const total = starts[features]!;
    const rows = new Int32Array(total);
    const values = new Float32Array(total);
    for (const { row, vector } of entries) {
      for (let k = 0; k < vector.ids.length; k++) {
        const p = fill[vector.ids[k]!]!++;
        rows[p] = row;
        values[p] = vector.w[k]!;
      }
    }
    return new Csr(starts, rows, values);
  }

  /** out[row] += Σ q[f] · value(f, row). */
  accumulate(q: SparseVector, out: Float32Array): void {
    const { starts, rows, values } = this;
    for (let k = 0; k < q.ids.length; k++) {
      const id = q.ids[k]!;
      const w = q.w[k]!;
      for (let p = starts[id]!; p < starts[id + 1]!; p++) out[rows[p]!]! += w * values[p]!;
    }
  }

  /**
   * `accumulate` for the rows `mask` marks (each 0 or 1) only: each of those
   * rows gets the same sum, added in the same order. `marked`: the marked
   * rows in increasing order, or with `ranges` the keys (articles) whose
   * rows `ranges[key]` to `ranges[key + 1]` hold every marked row; a feature
   * with many postings per key is then searched for them (gatherSearched)
   * instead of gathered through all its postings: the same positions. And
   * the value columns of some features (`valueColumns`, rows marked without
   * `ranges`): a feature with a column and more postings than marked rows is
   * read there at each marked row instead. A row the feature lacks reads 0
   * and adds w · 0, which leaves its sum's bits as they are (a sum is never
   * −0: it starts at +0, and +0 + −0 is +0).
   */
  accumulateMasked(
    q: SparseVector,
    mask: Uint8Array,
    out: Float32Array,
    marked?: { rows: Int32Array; columns?: ReadonlyMap<number, Float32Array>; ranges?: Int32Array },
  ): void {
    const { starts, rows, values } = this;
    const positions = this.positions;
    for (let k = 0; k < q.ids.length; k++) {
      const id = q.ids[k]!;
      const w = q.w[k]!;
      const length = starts[id + 1]! - starts[id]!;
      const column = marked && marked.rows.length < length ? marked.columns?.get(id) : undefined;
      if (column) {
        addColumn(column, w, marked!.rows, out);
        continue;
      }
      const n = marked
        ? gatherWithinIn(rows, starts[id]!, starts[id + 1]!, mask, positions, marked.rows, marked.ranges)
        : this.masked(id, mask);
      for (let i = 0; i < n; i++) {
        const p = positions[i]!;
        out[rows[p]!]! += w * values[p]!;
      }
    }
  }

  private positionsMemo: Int32Array | null = null;

  /** Scratch for `masked`, as long as the longest posting list (made on first use). */
  get positions(): Int32Array {
    return (this.positionsMemo ??= new Int32Array(longestPostings(this.starts)));
  }

  /** `gatherMarked` over these postings, into `positions`. */
  masked(feature: number, mask: Uint8Array): number {
    return gatherMarked(this.starts, this.rows, feature, mask, this.positions);
  }
}

/**
 * The values of each feature with more than `minPostings` postings, as a
 * column over every row (0 where the feature is absent), for
 * `accumulateMasked`'s `marked`: 4 bytes per row and feature, in shared
 * memory (engine threads read the main thread's: TermModel.sharedColumns).
 */
export function valueColumns(csr: Csr, rowCount: number, minPostings: number): Map<number, Float32Array> {
  const { starts, rows, values } = csr;
  const columns = new Map<number, Float32Array>();
  for (let f = 0; f + 1 < starts.length; f++) {
    if (starts[f + 1]! - starts[f]! <= minPostings) continue;
    const column = new Float32Array(new SharedArrayBuffer(4 * rowCount));
    for (let p = starts[f]!; p < starts[f + 1]!; p++) column[rows[p]!] = values[p]!;
    columns.set(f, column);
  }
  return columns;
}

/**
 * Columns made by another thread's copy of the same postings (over `starts`, `rows` rows each), to read
 * instead of making them again: refused when one is not such a column (another snapshot's, say).
 */
export function takenColumns<C extends { length: number }>(
  columns: ReadonlyMap<number, C>,
  starts: Int32Array,
  rows: number,
  what: string,
): Map<number, C> {
  for (const [f, column] of columns)
    if (f + 1 >= starts.length || column.length !== rows) throw new Error(`${what} of other postings`);
  return new Map(columns);
}

/** out[row] += w · column[row] at each of `rows` (increasing) the column reaches; one past it has no postings either. */
function addColumn(column: Float32Array, w: number, rows: Int32Array, out: Float32Array): void {
  // Watch mode's added rows come last (numbers past the fitted ones): the loop stops before them, without a branch per row.
  let end = rows.length;
  while (end > 0 && rows[end - 1]! >= column.length) end--;
  for (let i = 0; i < end; i++) {
    const r = rows[i]!;
    out[r]! += w * column[r]!;
  }
}

/** The length of the longest posting list: the scratch `gatherMarked` needs. */
export function longestPostings(starts: Int32Array): number {
  let longest = 0;
  for (let f = 0; f + 1 < starts.length; f++) longest = Math.max(longest, starts[f + 1]! - starts[f]!);
  return longest;
}

/**
 * The positions of `feature`'s postings whose row `mask` marks (each 0 or
 * 1), in order, into `positions`; returns how many. On a large KB a
 * question's common words have postings in most articles and the
 * candidates are a tenth of them: a branch per posting, taken at random,
 * cost more than the sums, and this loop has none (every position is
 * written, and the count moves on by the mark).
 */
export function gatherMarked(
  starts: Int32Array,
  rows: Int32Array | Uint16Array,
  feature: number,
  mask: Uint8Array,
  positions: Int32Array,
): number {
  return gatherMarkedIn(rows, starts[feature]!, starts[feature + 1]!, mask, positions);
}

/** `gatherMarked` over the postings from `from` to `end` (one block of a feature's: see BagPostings). */
export function gatherMarkedIn(
  rows: Int32Array | Uint16Array,
  from: number,
  end: number,
  mask: Uint8Array,
  positions: Int32Array,
): number {
  // One loop per kind of row array: a 10k snapshot has both (units' rows are 32-bit, articles' 16-bit), and
  // one loop seeing both checks the array's kind at every posting, every question's few hundred thousand.
  return rows instanceof Uint16Array
    ? gather16(rows, from, end, mask, positions)
    : gather32(rows, from, end, mask, positions);
}

/**
 * A feature is searched (gatherSearched) with this many postings per key or
 * more. Measured in place at 30k articles (1,075 candidate articles, cold
 * postings): a search costs about 40 ns per key, whatever it finds, and the
 * walk 2–4 ns per posting, so searching pays from about 10–16 postings per
 * key; at 4 per key it cost a unit feature 50 µs against the walk's 35.
 */
export const SEARCH_RATIO = 16;

/**
 * gatherMarked's positions of the marked postings from `from` to `end` (a
 * feature's, or one block of them: see BagPostings), the same ones in the
 * same order, found by searching when there are SEARCH_RATIO postings or
 * more per key (see gatherSearched), else by walking them all. `keys`
 * (increasing): the marked rows, or with `ranges` the keys whose row ranges
 * hold every marked row.
 */
export function gatherWithinIn(
  rows: Int32Array | Uint16Array,
  from: number,
  end: number,
  mask: Uint8Array,
  positions: Int32Array,
  keys: Int32Array,
  ranges?: Int32Array,
): number {
  return end - from >= SEARCH_RATIO * keys.length
    ? gatherSearched(rows, from, end, mask, positions, keys, ranges)
    : gatherMarkedIn(rows, from, end, mask, positions);
}

/**
 * The positions of `feature`'s postings whose row `mask` marks, in order,
 * when every marked row is one of `keys` (increasing) or, with `ranges`, in
 * one of the keys' ranges `ranges[key]` to `ranges[key + 1]`: from each
 * key's first posting to the next's, skipping 64 postings at a time, then
 * halving the last 64 (firstAtLeast), since a feature's postings are in
 * increasing row order (Csr.build adds rows in order). The walk reads every
 * posting, and a common word's postings grow with the KB while the
 * candidates do not; this reads a few per key. Strides of 64 rather than a
 * binary search over the whole list: they read the postings in order (a
 * halving search's jumps each waited on a cache miss and cost twice as much
 * per key at 16–32 postings per key). Within 64 postings (four cache lines
 * of 32-bit rows) the halving has no branch: strides of 8 then 1 there
 * mispredicted each loop's exit, on every key (2–3 % of the candidates'
 * scores at 100k articles).
 */
export function gatherSearched(
  rows: Int32Array | Uint16Array,
  from: number,
  end: number,
  mask: Uint8Array,
  positions: Int32Array,
  keys: Int32Array,
  ranges?: Int32Array,
): number {
  let p = from;
  let n = 0;
  for (let i = 0; i < keys.length && p < end; i++) {
    const key = keys[i]!;
    const lo = ranges ? ranges[key]! : key;
    const hi = ranges ? ranges[key + 1]! : key + 1;
    while (p + 64 < end && rows[p + 64]! < lo) p += 64;
    p = firstAtLeast(rows, p, Math.min(64, end - p), lo);
    for (; p < end && rows[p]! < hi; p++) {
      positions[n] = p;
      n += mask[rows[p]!]!;
    }
  }
  return n;
}

/**
 * The first position from `from` on, of the `length` there, whose row is
 * `lo` or more (`from + length` when none is): a binary search without a
 * branch on the rows, the same steps for every key. Rows are below 2³¹, so
 * `row − lo` is negative exactly when row < lo, and `>> 31` spreads its sign
 * bit into the step's mask.
 */
function firstAtLeast(rows: Int32Array | Uint16Array, from: number, length: number, lo: number): number {
  let p = from;
  let n = length;
  while (n > 1) {
    const half = n >>> 1;
    p += half & ((rows[p + half]! - lo) >> 31);
    n -= half;
  }
  return n === 1 ? p + ((rows[p]! - lo) >>> 31) : p;
}

function gather16(rows: Uint16Array, from: number, end: number, mask: Uint8Array, positions: Int32Array) {
  let n = 0;
  for (let p = from; p < end; p++) {
    positions[n] = p;
    n += mask[rows[p]!]!;
  }
  return n;
}

/** gather16 for 32-bit rows (the same loop). */
function gather32(rows: Int32Array, from: number, end: number, mask: Uint8Array, positions: Int32Array) {
  let n = 0;
  for (let p = from; p < end; p++) {
    positions[n] = p;
    n += mask[rows[p]!]!;
  }
  return n;
}
