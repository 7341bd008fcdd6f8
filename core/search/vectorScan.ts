/**
 * A dimension-major int8 matrix and the exact integer dot products of a
 * sparse integer query with each of its rows: a hashing question has a few
 * dozen non-zero dimensions of 1,024, so its dot with every vector is that
 * many passes over a column, not a walk over each vector.
 */
export class VectorScan {
  readonly kernel = 'js' as const;
  /** Bytes between one column and the next: the capacity, rounded up to 16. */
  private readonly stride: number;
  private readonly matrix: Int8Array;
  private readonly acc: Int32Array;

  constructor(
    readonly dimensions: number,
    readonly capacity: number,
  ) {
    this.stride = Math.max(16, Math.ceil(capacity / 16) * 16);
    if (dimensions * this.stride > 2 ** 32 - 2 ** 26)
      throw new RangeError(`${capacity} vectors of ${dimensions} dimensions do not fit one vector scan (4 GB)`);
    this.matrix = new Int8Array(dimensions * this.stride);
    this.acc = new Int32Array(this.stride);
  }

  column(d: number): Int8Array {
    return this.matrix.subarray(d * this.stride, d * this.stride + this.capacity);
  }

  setRow(row: number, values: Int8Array): void {
    for (let d = 0; d < this.dimensions; d++) this.matrix[d * this.stride + row] = values[d]!;
  }

  bytes(): Uint8Array {
    return new Uint8Array(this.matrix.buffer, this.matrix.byteOffset, this.matrix.byteLength);
  }

  dot(dims: Int32Array, weights: Int32Array, nnz: number, count: number): Int32Array {
    const { acc, matrix, stride } = this;
    acc.fill(0, 0, count);
    for (let k = 0; k < nnz; k++) {
      const w = weights[k]!;
      const base = dims[k]! * stride;
      for (let r = 0; r < count; r++) acc[r] = acc[r]! + w * matrix[base + r]!;
    }
    return acc.subarray(0, count);
  }

  grown(capacity: number): VectorScan {
    const next = new VectorScan(this.dimensions, Math.max(capacity, this.capacity));
    for (let d = 0; d < this.dimensions; d++) next.column(d).set(this.column(d));
    return next;
  }
}
