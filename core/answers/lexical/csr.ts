import type { SparseVector } from '../learners/softmaxRegression.ts';

/**
 * Postings in compressed sparse rows: for each feature, the rows (units or
 * articles) that contain it and their weights, in three flat arrays. A
 * question's scores against every row are one pass over its features.
 */
export class Csr {
  private constructor(
    readonly starts: Int32Array,
    readonly rows: Int32Array,
    readonly values: Float32Array,
  ) {}

  /** Postings saved from `starts`, `rows` and `values` (views on a snapshot's bytes); throws when they cannot be one. */
  static restore(starts: Int32Array, rows: Int32Array, values: Float32Array): Csr {
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

  /** `accumulate` for the rows `mask` marks only: each of those rows gets the same sum, added in the same order. */
  accumulateMasked(q: SparseVector, mask: Uint8Array, out: Float32Array): void {
    const { starts, rows, values } = this;
    for (let k = 0; k < q.ids.length; k++) {
      const id = q.ids[k]!;
      const w = q.w[k]!;
      for (let p = starts[id]!; p < starts[id + 1]!; p++) {
        const row = rows[p]!;
        if (mask[row]) out[row]! += w * values[p]!;
      }
    }
  }
}
