/** Sparse centroids as arrays: row r is article `ids[r]`, its non-zero dimensions `dims[starts[r]..starts[r + 1])`. */
export interface SparseCentroids {
  ids: string[];
  starts: Int32Array;
  dims: Uint16Array | Uint32Array;
  values: Float32Array;
  dimensions: number;
}

/**
 * Each article's embedder centroid, kept sparse. The hashing embedder's
 * centroids are dense 1,024-dimension arrays with about a fifth of their
 * dimensions non-zero (192 of 1,024 on average at 1k and 10k articles): 41 MB
 * at 10k articles as Float32Arrays, 12 MB as (dimension, value) pairs in two
 * shared arrays. Retrieval only takes dot products with a question, which
 * are the same numbers either way (see `dot`).
 */
export class ArticleCentroids {
  private constructor(
    private readonly rows: ReadonlyMap<string, number>,
    /** Row r's non-zero dimensions are `dims[starts[r]..starts[r + 1])`, increasing, with their values in `values`. */
    private readonly starts: Int32Array,
    private readonly dims: Uint16Array | Uint32Array,
    private readonly values: Float32Array,
    /** The dense length of every centroid. */
    readonly dimensions: number,
  ) {}

  /** The sparse form of dense centroids (all of one length). */
  static from(dense: ReadonlyMap<string, Float32Array>): ArticleCentroids {
    let dimensions = 0;
    let nonZero = 0;
    for (const v of dense.values()) {
      dimensions = Math.max(dimensions, v.length);
      for (let d = 0; d < v.length; d++) if (v[d] !== 0) nonZero++;
    }
    const rows = new Map<string, number>();
    const starts = new Int32Array(dense.size + 1);
    const dims = dimensions <= 0x10000 ? new Uint16Array(nonZero) : new Uint32Array(nonZero);
    const values = new Float32Array(nonZero);
    let at = 0;
    for (const [id, v] of dense) {
      if (v.length !== dimensions) throw new Error('article centroids of different lengths');
      const r = rows.size;
      rows.set(id, r);
      for (let d = 0; d < v.length; d++)
        if (v[d] !== 0) {
          dims[at] = d;
          values[at++] = v[d]!;
        }
      starts[r + 1] = at;
    }
    return new ArticleCentroids(rows, starts, dims, values, dimensions);
  }

  /**
   * Centroids stored sparse (`parts`, as views on a file's bytes, kept as
   * they are); throws when the arrays cannot be such centroids.
   */
  static restore(parts: SparseCentroids): ArticleCentroids {
    const { ids, starts, dims, values, dimensions } = parts;
    if (starts.length !== ids.length + 1 || starts[0] !== 0 || starts[ids.length] !== dims.length)
      throw new Error('sparse centroids disagree on their sizes');
    if (dims.length !== values.length) throw new Error('sparse centroids disagree on their sizes');
    for (let r = 0; r < ids.length; r++)
      if (starts[r]! > starts[r + 1]!) throw new Error('sparse centroids are damaged');
    for (let j = 0; j < dims.length; j++) if (dims[j]! >= dimensions) throw new Error('sparse centroids are damaged');
    const rows = new Map(ids.map((id, r) => [id, r] as const));
    if (rows.size !== ids.length) throw new Error('sparse centroids repeat an article');
    return new ArticleCentroids(rows, starts, dims, values, dimensions);
  }

  /** The arrays `restore` takes: what a snapshot stores. */
  parts(): SparseCentroids {
    const { starts, dims, values, dimensions } = this;
    return { ids: [...this.rows.keys()], starts, dims, values, dimensions };
  }

  get size(): number {
    return this.rows.size;
  }

  has(id: string): boolean {
    return this.rows.has(id);
  }

  /**
   * `dot(v, centroid of id)`, or undefined for an article without a centroid:
   * over the centroid's non-zero dimensions, in increasing order, from 0.
   * The same number to the last bit as the sum over v's non-zero dimensions
   * (or over every dimension): a product with a zero of v is ±0, which leaves
   * the running sum as it is (it starts at +0 and is never −0), and the other
   * products come in the same order. Walking the centroid's dimensions alone,
   * v read at each, was about five times cheaper than merging them with v's
   * non-zero ones (a branch per step: ~1.5 µs per centroid at 10k articles).
   */
  dot(id: string, v: Float32Array): number | undefined {
    const r = this.rows.get(id);
    if (r === undefined) return undefined;
    const { dims, values } = this;
    const end = this.starts[r + 1]!;
    let s = 0;
    for (let j = this.starts[r]!; j < end; j++) {
      const d = dims[j]!;
      // v shorter than the centroids (another embedder's): its dimensions only, as the merge read them.
      if (d >= v.length) break;
      s += v[d]! * values[j]!;
    }
    return s;
  }

  /** An article's centroid as a dense array (a new one), or undefined. */
  dense(id: string): Float32Array | undefined {
    const r = this.rows.get(id);
    if (r === undefined) return undefined;
    const out = new Float32Array(this.dimensions);
    for (let j = this.starts[r]!; j < this.starts[r + 1]!; j++) out[this.dims[j]!] = this.values[j]!;
    return out;
  }

  /** Every centroid, dense, in this order: what a snapshot file or Meilisearch stores. */
  toMap(): Map<string, Float32Array> {
    return new Map([...this.rows.keys()].map((id) => [id, this.dense(id)!]));
  }

  /** These centroids with `set`'s added or replaced and `removed`'s taken out (watch mode's delta), without densifying the others. */
  with(set: ReadonlyMap<string, Float32Array>, removed: Iterable<string>): ArticleCentroids {
    const gone = new Set(removed);
    const order: string[] = [];
    for (const id of this.rows.keys()) if (!gone.has(id)) order.push(id);
    for (const id of set.keys()) if (!this.rows.has(id) || gone.has(id)) order.push(id);
    const added = ArticleCentroids.from(set);
    if (added.size && added.dimensions !== this.dimensions && this.size)
      throw new Error('article centroids of different lengths');
    const source = (id: string) => (added.rows.has(id) ? added : this);
    let nonZero = 0;
    for (const id of order) {
      const c = source(id);
      const r = c.rows.get(id)!;
      nonZero += c.starts[r + 1]! - c.starts[r]!;
    }
    const dimensions = Math.max(this.dimensions, added.dimensions);
    const rows = new Map<string, number>();
    const starts = new Int32Array(order.length + 1);
    const dims = dimensions <= 0x10000 ? new Uint16Array(nonZero) : new Uint32Array(nonZero);
    const values = new Float32Array(nonZero);
    let at = 0;
    for (const id of order) {
      const c = source(id);
      const r = c.rows.get(id)!;
      const [from, to] = [c.starts[r]!, c.starts[r + 1]!];
      dims.set(c.dims.subarray(from, to), at);
      values.set(c.values.subarray(from, to), at);
      at += to - from;
      rows.set(id, rows.size);
      starts[rows.size] = at;
    }
    return new ArticleCentroids(rows, starts, dims, values, dimensions);
  }
}
