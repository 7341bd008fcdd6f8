import { promises as fs } from 'node:fs';
import { IndexMismatchError } from '../errors.ts';
import { FilterVerdicts } from './filterVerdicts.ts';
import type { VectorHit, VectorIndex, VectorItem } from './ports.ts';
import { SCAN_HEADER_BYTES as HEADER_BYTES, SCAN_MAGIC as MAGIC, scanCount, scanOfImage } from './scanImage.ts';
import { TopK } from './topK.ts';
import { VectorScan } from './vectorScan.ts';

/** A query's integer weights keep Σ|w| × 128 below 2^31, so no dot product overflows int32 (VectorScan.dot). */
const MAX_WEIGHT_SUM = 2 ** 31 / 128 - 1;

/** How `search` walks the rows; the defaults are the engine's, a spec sets others to compare the two walks. */
export interface ScanSearchOptions {
  /** Up to this many rows, every row goes through the loop (the selection's overhead is not worth it). */
  everyRowUpTo?: number;
  /** Above it, these first rows give the bound that the kernel's selection of the others starts from. */
  firstRows?: number;
}

const DEFAULT_SEARCH: Required<ScanSearchOptions> = { everyRowUpTo: 4096, firstRows: 2048 };

/**
 * Every vector scanned exactly, for embedders whose query vectors have few
 * non-zero dimensions (the hashing embedder: a median 44 of 1,024). Each
 * vector is stored as int8 values with one scale (a fifth of a float32 copy;
 * an HNSW graph holds the float32 vectors and their links), dimension by
 * dimension, so a question's cosine with every vector is one pass over each
 * of its non-zero dimensions' columns (VectorScan). Against hnswlib's graph
 * this finds the true nearest vectors (the graph misses a few), needs no
 * graph to build (45 s of CPU at 10k articles, ten minutes at 100k), and
 * grows linearly per question: it is chosen for the hashing embedder up to
 * the size a scan holds (see vectorIndexKindFor), the graph for dense ones.
 */
export class ScanVectorIndex implements VectorIndex {
  readonly kind = 'scan';

  /** Rows taken out by `applyDelta`, 1 per row; grown with the rows. */
  private deleted: Uint8Array;
  private deletedCount = 0;

  /** Verdicts of filters seen before, by row. */
  private readonly verdicts = new FilterVerdicts();

  private readonly dims: Int32Array;
  private readonly weights: Int32Array;
  private readonly row: Int8Array;

  private readonly walk: Required<ScanSearchOptions>;

  private constructor(
    /** The int8 rows, and per row the scale that maps them to its unit vector (`scan.scales()`). */
    private scan: VectorScan,
    private readonly items: VectorItem[],
    readonly dimensions: number,
    /** Rows filled so far. */
    private count: number,
    options: ScanSearchOptions,
  ) {
    this.walk = { ...DEFAULT_SEARCH, ...options };
    this.deleted = new Uint8Array(scan.capacity);
    this.dims = new Int32Array(dimensions);
    this.weights = new Int32Array(dimensions);
    this.row = new Int8Array(dimensions);
  }

  /** An index with room for `items`, filled in label order by `add` (a build's vectors as they are embedded). */
  static empty(dimensions: number, items: VectorItem[], options: ScanSearchOptions = {}): ScanVectorIndex {
    return new ScanVectorIndex(new VectorScan(dimensions, items.length), items, dimensions, 0, options);
  }

  static build(
    dimensions: number,
    items: VectorItem[],
    vectors: readonly Float32Array[],
    options: ScanSearchOptions = {},
  ): ScanVectorIndex {
    const index = ScanVectorIndex.empty(dimensions, items, options);
    index.add(vectors);
    return index;
  }

  /** Append the next vectors (labels `count`, `count + 1`, …), normalised and quantised. */
  add(vectors: readonly Float32Array[]): void {
    for (const v of vectors) {
      if (v.length !== this.dimensions)
        throw new IndexMismatchError(
          `vector ${this.count} has ${v.length} dimensions, the index expects ${this.dimensions}`,
        );
      if (this.count >= this.scan.capacity) this.grow(this.count + 1);
      this.scan.scales()[this.count] = quantise(v, this.row);
      this.scan.setRow(this.count++, this.row);
    }
  }

  /** Read a file written by `write`; a truncated or foreign file throws, and the caller rebuilds from the KB. */
  static async read(
    file: string,
    dimensions: number,
    items: VectorItem[] | Promise<VectorItem[]>,
    options: ScanSearchOptions = {},
  ): Promise<ScanVectorIndex> {
    const handle = await fs.open(file, 'r');
    try {
      const header = new Uint8Array(HEADER_BYTES);
      await handle.read(header, 0, HEADER_BYTES, 0);
      const count = scanCount(header, dimensions, (await handle.stat()).size, file);
      const scan = new VectorScan(dimensions, count);
      await readFully(handle, scan.scales(), HEADER_BYTES);
      // The file's columns are the scan's memory when it holds exactly `count` rows: one read.
      await readFully(handle, scan.bytes().subarray(0, dimensions * count), HEADER_BYTES + count * 4);
      const listed = await items;
      if (listed.length !== count)
        throw new IndexMismatchError(
          `vector index ${file} holds ${count} vectors, its manifest lists ${listed.length}`,
        );
      return new ScanVectorIndex(scan, listed, dimensions, count, options);
    } finally {
      await handle.close();
    }
  }

  /**
   * The scan in `image` (scanImage.ts): a shared memory holding the file,
   * read in place, so threads given the same memory scan the same bytes; or
   * the file's bytes, copied. A truncated or foreign image throws, as `read`.
   */
  static async fromImage(
    image: WebAssembly.Memory | Uint8Array,
    name: string,
    dimensions: number,
    items: VectorItem[] | Promise<VectorItem[]>,
    options: ScanSearchOptions = {},
  ): Promise<ScanVectorIndex> {
    const scan = scanOfImage(image, dimensions, name);
    const listed = await items;
    if (listed.length !== scan.capacity)
      throw new IndexMismatchError(
        `vector index ${name} holds ${scan.capacity} vectors, its manifest lists ${listed.length}`,
      );
    return new ScanVectorIndex(scan, listed, dimensions, scan.capacity, options);
  }

  async write(file: string): Promise<void> {
    const handle = await fs.open(file, 'w');
    try {
      const header = Buffer.alloc(HEADER_BYTES);
      header.write(MAGIC, 0, 'latin1');
      header.writeUInt32LE(this.dimensions, 8);
      header.writeUInt32LE(this.count, 12);
      await handle.write(header);
      const scales = this.scan.scales();
      await handle.write(new Uint8Array(scales.buffer, scales.byteOffset, this.count * 4));
      const whole = this.scan.bytes();
      if (this.scan.capacity === this.count) await handle.write(whole);
      else {
        // Rows to spare (watch mode grew it): each column's first `count` bytes, in pieces of about 4 MB.
        const perPiece = Math.max(1, Math.floor(4_194_304 / Math.max(1, this.count)));
        for (let d = 0; d < this.dimensions; d += perPiece) {
          const n = Math.min(perPiece, this.dimensions - d);
          const piece = new Int8Array(n * this.count);
          for (let j = 0; j < n; j++) piece.set(this.scan.column(d + j).subarray(0, this.count), j * this.count);
          await handle.write(new Uint8Array(piece.buffer));
        }
      }
    } finally {
      await handle.close();
    }
  }

  size(): number {
    return this.count - this.deletedCount;
  }

  /**
   * Take out the vectors of `removed` articles and add `items` (labels past
   * the last one), in place: watch mode's delta (core/indexing/applyDelta.ts).
   * Taken-out rows stay, marked, until the next full build.
   */
  applyDelta(removed: ReadonlySet<string>, items: readonly VectorItem[], vectors: readonly Float32Array[]): void {
    vectors.forEach((v, i) => {
      if (v.length !== this.dimensions)
        throw new IndexMismatchError(
          `vector for ${items[i]!.articleId} has ${v.length} dimensions, the index expects ${this.dimensions}`,
        );
    });
    if (removed.size)
      for (let label = 0; label < this.count; label++)
        if (this.deleted[label] === 0 && removed.has(this.items[label]!.articleId)) {
          this.deleted[label] = 1;
          this.deletedCount++;
        }
    // Room for this delta and the next few, so a run of edits does not copy the matrix each time.
    const needed = this.count + items.length;
    if (needed > this.scan.capacity) this.grow(needed + 1024);
    items.forEach((item) => this.items.push({ ...item, label: this.items.length }));
    this.add(vectors);
  }

  /**
   * The `k` vectors of highest cosine with `vector` that `filter` accepts,
   * highest first, ties in label order. The filter is asked only of a vector
   * that would enter the best k so far.
   *
   * Above a few thousand rows, the loop runs on the first rows, whose k-th
   * best score is a bound at or below which no later row can enter (the
   * bound only rises), then on spans of rows doubling in length, each only
   * on the rows the kernel finds above the bound so far: the same rows
   * pushed in the same order, so the very same results and filter calls as
   * the loop over every row, for a fraction of its cost.
   */
  search(vector: Float32Array, k: number, filter?: (item: VectorItem) => boolean): VectorHit[] {
    const n = Math.min(k, this.size());
    if (n === 0) return [];
    const { dims, weights } = this;
    let nnz = 0;
    let norm = 0;
    let max = 0;
    let sum = 0;
    for (let d = 0; d < vector.length; d++) {
      const x = vector[d]!;
      if (x === 0) continue;
      dims[nnz++] = d;
      norm += x * x;
      sum += Math.abs(x);
      if (Math.abs(x) > max) max = Math.abs(x);
    }
    let unscale = 0;
    if (nnz > 0) {
      const scale = Math.min(32767 / max, (MAX_WEIGHT_SUM - nnz) / sum);
      for (let j = 0; j < nnz; j++) weights[j] = Math.round(vector[dims[j]!]! * scale);
      unscale = 1 / (scale * Math.sqrt(norm));
    }
    const dots = this.scan.dot(dims, weights, nnz, this.count);
    const accept = filter ? this.verdicts.acceptor(filter, this.items, this.scan.capacity) : null;
    const top = new TopK(n);
    const { count, walk } = this;
    const first = count > walk.everyRowUpTo ? Math.max(1, Math.min(walk.firstRows, count)) : count;
    this.keep(top, dots, accept, 0, first, null);
    // Then rows first…2·first, 2·first…4·first, …: each span selected above the bound the rows before it gave, about k rows each.
    for (let from = first; from < count;) {
      const to = Math.min(count, 2 * from);
      // Float32 scores are within a relative 2^-23 of the exact ones: a bound lowered by 1e-6 drops no row above it.
      const bound = top.full ? top.worst - Math.abs(top.worst) * 1e-6 : -Infinity;
      const rows = bound > -Infinity ? this.scan.select(from, to, bound, (to - from) >> 2) : null;
      if (rows) this.keep(top, dots, accept, 0, rows.length, rows);
      else this.keep(top, dots, accept, from, to, null);
      from = to;
    }
    return top.sorted().map(({ similarity, label }) => ({
      item: this.items[label]!,
      similarity: similarity * unscale,
    }));
  }

  /** Offer `top` the rows from…to (or rows[from…to]) in increasing order: the loop every search result comes from. */
  private keep(
    top: TopK,
    dots: Int32Array,
    accept: ((row: number) => boolean) | null,
    from: number,
    to: number,
    rows: Int32Array | null,
  ): void {
    const { deleted } = this;
    const scales = this.scan.scales();
    // Compared before the question's own scale (one positive factor for every row), which is applied to the k kept.
    let worst = top.full ? top.worst : -Infinity;
    for (let i = from; i < to; i++) {
      const r = rows ? rows[i]! : i;
      const score = dots[r]! * scales[r]!;
      // Once k are kept, an equal score loses to the one kept: its label is later.
      if (score <= worst || deleted[r] !== 0) continue;
      if (accept && !accept(r)) continue;
      top.push(score, r);
      if (top.full) worst = top.worst;
    }
  }

  private grow(capacity: number): void {
    this.scan = this.scan.grown(capacity);
    const deleted = new Uint8Array(this.scan.capacity);
    deleted.set(this.deleted.subarray(0, this.count));
    this.deleted = deleted;
  }
}

/** `v` normalised into int8 values (its largest magnitude at ±127) in `out`; returns the scale that maps them back. */
function quantise(v: Float32Array, out: Int8Array): number {
  let norm = 0;
  let max = 0;
  for (let d = 0; d < v.length; d++) {
    const x = v[d]!;
    norm += x * x;
    if (Math.abs(x) > max) max = Math.abs(x);
  }
  if (max === 0) {
    out.fill(0);
    return 0;
  }
  const q = 127 / max;
  for (let d = 0; d < v.length; d++) out[d] = Math.round(v[d]! * q);
  return max / (127 * Math.sqrt(norm));
}

async function readFully(handle: fs.FileHandle, into: ArrayBufferView, position: number): Promise<void> {
  const bytes = new Uint8Array(into.buffer, into.byteOffset, into.byteLength);
  let got = 0;
  while (got < bytes.length) {
    const { bytesRead } = await handle.read(bytes, got, bytes.length - got, position + got);
    if (bytesRead === 0) throw new IndexMismatchError('vector index file ends early');
    got += bytesRead;
  }
}
