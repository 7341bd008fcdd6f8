import { kernelInstance, kernelOn } from '../answers/learners/wasmKernel.ts';
import { GROUP_BLOCK, type GroupRun, groupKernels, groupPasses } from './scanGroups.ts';
import { SELECT_BLOCK, type SelectMemory, selectKernel, selectRows } from './scanSelect.ts';

/** Rows per block of the kernel (its column sums and dot products of sixteen rows in registers). */
const BLOCK = GROUP_BLOCK;
/** 32-bit WebAssembly addresses at most 4 GiB; the JavaScript path keeps the same limit so both hold the same KBs. */
const MAX_BYTES = 2 ** 32;
/** Rows past `max` a selection may write (the kernel appends a whole block before it checks the count). */
const SELECT_ROOM = SELECT_BLOCK;
/** A WebAssembly page. */
const PAGE = 65536;

/**
 * A scan file's image in a shared WebAssembly memory (scanImage.ts): a
 * VectorScan on it reads the rows and their scales where the file put them,
 * so every thread holding the memory scans the same bytes. Each scan grows
 * the memory by its own scratch (sums, partial sums, selection), which no
 * other scan touches; the image itself is never written (a scan that must
 * take more rows is `grown` into a memory of its own).
 */
export interface ScanImage {
  memory: WebAssembly.Memory;
  /** Byte offset of the matrix (columns of exactly `capacity` bytes, 16 bytes of slack after the last). */
  matrixAt: number;
  /** Byte offset of the rows' float scales, 4-byte aligned. */
  scalesAt: number;
}

/**
 * A dimension-major int8 matrix in one WebAssembly.Memory, and the exact
 * integer dot products of a sparse integer query with each of its rows.
 *
 * A hashing-embedder question has ~57 non-zero dimensions of 1,024, so its
 * dot products with every vector are Σ over those dimensions of weight ×
 * column: 57 × N multiply-adds, reading 57 columns of N bytes. Its weights
 * take a few values (a median 5), so the kernel adds the columns of each
 * weight as int16 and multiplies their sum once (scanGroups.ts), four
 * columns per pass over the rows, sixteen rows at a time. Integer sums, so
 * the JavaScript loop gives the very same numbers.
 *
 * Memory: the matrix (columns of exactly `capacity` bytes, one after
 * another: `bytes()` is the file's image), 16 bytes of slack (the last
 * block of the last column reads up to 15 bytes past it: those rows' sums
 * are never returned), the sums, a group's partial int16 column sums, then
 * per row a float scale, and room for a selection's rows (`select`) and its
 * count. On a `ScanImage`, the matrix and scales are the image's, the rest
 * this scan's own pages of the shared memory.
 */
export class VectorScan {
  /** Which code runs: 'wasm-simd' or 'js' (where the runtime has no WebAssembly SIMD, or the caller asked for it). */
  readonly kernel: 'wasm-simd' | 'js';
  private readonly matrix: Int8Array;
  private readonly sums: Int32Array;
  /** A weight's column sums between two passes over the rows (int16, two bytes a row). */
  private readonly partialAt: number;
  /** The pass kernels for 1 to 4 columns (index n − 1), or null: the JavaScript loop. */
  private readonly passes: GroupRun[] | null;
  private readonly rowScales: Float32Array;
  private readonly selection: SelectMemory;
  /** Rows whose sums the last `dot` left (what `select` may read). */
  private dotted = 0;

  constructor(
    readonly dimensions: number,
    readonly capacity: number,
    private readonly options: {
      /** false: the JavaScript loop even where WebAssembly SIMD runs (the specs compare the two). */
      kernel?: boolean;
      /** The rows and scales in place, in a shared memory (see ScanImage); else in a memory of this scan's own. */
      image?: ScanImage;
    } = {},
  ) {
    if (!Number.isInteger(dimensions) || dimensions < 1 || !Number.isInteger(capacity) || capacity < 0)
      throw new RangeError(`VectorScan needs whole dimensions ≥ 1 and capacity ≥ 0 (got ${dimensions}, ${capacity})`);
    const { image } = options;
    const matrixBytes = dimensions * capacity;
    const blocks = Math.ceil(capacity / BLOCK);
    // Own memory: the scratch after the matrix and its slack, the scales among it. On an image: only the scratch.
    const sumsAt = image ? 0 : align16(matrixBytes + BLOCK);
    const partialAt = sumsAt + blocks * BLOCK * 4;
    const scalesAt = partialAt + blocks * BLOCK * 2;
    const selectedAt = scalesAt + (image ? 0 : blocks * BLOCK * 4);
    const resultAt = selectedAt + (blocks * BLOCK + SELECT_ROOM) * 4;
    const bytes = resultAt + 16;
    if (!image && bytes > MAX_BYTES)
      throw new RangeError(
        `VectorScan of ${capacity} rows × ${dimensions} dimensions needs ${bytes} bytes, past the 4 GiB of 32-bit WebAssembly memory: ` +
          `fewer rows (at most ${Math.floor((MAX_BYTES - 1024) / (dimensions + 14))}) or fewer dimensions`,
      );
    const modules = (options.kernel ?? true) ? groupKernels(!!image) : [null];
    const selecting = modules.every((m) => m) ? selectKernel(!!image) : null;
    let buffer: ArrayBufferLike;
    /** Where the scratch starts in `buffer`: this scan's own pages of a shared image. */
    let at = 0;
    let select: SelectMemory['run'] = null;
    if (selecting) {
      let memory: WebAssembly.Memory;
      if (image) {
        memory = image.memory;
        at = memory.grow(Math.ceil(bytes / PAGE)) * PAGE;
      } else memory = kernelInstance<GroupRun>(modules[0]!, 'pass', bytes).memory;
      buffer = memory.buffer;
      this.passes = modules.map((m) => kernelOn<GroupRun>(m!, 'pass', memory));
      select = kernelOn(selecting, 'select', memory);
      this.kernel = 'wasm-simd';
    } else {
      buffer = new ArrayBuffer(bytes);
      this.passes = null;
      this.kernel = 'js';
    }
    const data = image ? image.memory.buffer : buffer;
    this.partialAt = at + partialAt;
    this.matrix = new Int8Array(data, image?.matrixAt ?? 0, matrixBytes);
    this.sums = new Int32Array(buffer, at + sumsAt, blocks * BLOCK);
    this.rowScales = new Float32Array(data, image?.scalesAt ?? scalesAt, capacity);
    this.selection = {
      sums: this.sums,
      // The kernel reads the scales of whole blocks below the count: within `capacity` on an image.
      scales: image ? this.rowScales : new Float32Array(buffer, scalesAt, blocks * BLOCK),
      selected: new Int32Array(buffer, at + selectedAt, blocks * BLOCK + SELECT_ROOM),
      result: new Int32Array(buffer, at + resultAt, 1),
      run: select,
    };
  }

  /** Each row's float scale (`capacity` of them), a view on the memory to fill or read: `select`'s scores are the sums times these. */
  scales(): Float32Array {
    return this.rowScales;
  }

  /** Column d (the d-th value of every row), `capacity` bytes: a view on the memory, for filling or reading. */
  column(d: number): Int8Array {
    if (!(d >= 0 && d < this.dimensions)) throw new RangeError(`no column ${d} in ${this.dimensions} dimensions`);
    return this.matrix.subarray(d * this.capacity, (d + 1) * this.capacity);
  }

  /** Write one row (a vector's int8 values, `dimensions` long) — strided into the columns. */
  setRow(row: number, values: Int8Array): void {
    const { dimensions, capacity, matrix } = this;
    if (!(row >= 0 && row < capacity)) throw new RangeError(`row ${row} is past the capacity of ${capacity}`);
    if (values.length !== dimensions) throw new RangeError(`a row has ${dimensions} values, not ${values.length}`);
    for (let d = 0, at = row; d < dimensions; d++, at += capacity) matrix[at] = values[d]!;
  }

  /** The whole matrix, columns one after another (`dimensions × capacity` bytes): a file is read straight into it and written from it. */
  bytes(): Uint8Array {
    return new Uint8Array(this.matrix.buffer, this.matrix.byteOffset, this.matrix.length);
  }

  /**
   * acc[r] = Σ_{k < nnz} weights[k] × column(dims[k])[r], for rows r < count,
   * in int32. Callers keep |weights[k]| ≤ 32767 and Σ|weights| × 128 < 2^31
   * (no overflow). Returns a view on the memory, valid until the next call.
   */
  dot(dims: Int32Array, weights: Int32Array, nnz: number, count: number): Int32Array {
    const { dimensions, capacity, sums } = this;
    if (!(count >= 0 && count <= capacity)) throw new RangeError(`count ${count} is past the capacity of ${capacity}`);
    if (!(nnz >= 0 && nnz <= dims.length && nnz <= weights.length && nnz <= dimensions))
      throw new RangeError(
        `nnz ${nnz} is past the query's ${Math.min(dims.length, weights.length)} entries or the ${dimensions} dimensions`,
      );
    const acc = sums.subarray(0, count);
    this.dotted = count;
    if (nnz === 0 || count === 0) return acc.fill(0);
    for (let k = 0; k < nnz; k++) {
      const d = dims[k]!;
      const w = weights[k]!;
      if (!(d >= 0 && d < dimensions)) throw new RangeError(`query dimension ${d} is outside 0…${dimensions - 1}`);
      // The kernel holds weights as int16: a larger one would be cut, not refused.
      if (!(w >= -32767 && w <= 32767)) throw new RangeError(`query weight ${w} is outside ±32767`);
    }
    if (!this.passes) {
      scanInJavaScript(this.matrix, capacity, dims, weights, nnz, acc);
      return acc;
    }
    const blocks = Math.ceil(count / BLOCK);
    for (const { columns, weight, flags } of groupPasses(
      dims,
      weights,
      nnz,
      (d) => this.matrix.byteOffset + d * capacity,
    )) {
      const [c0 = 0, c1 = 0, c2 = 0, c3 = 0] = columns;
      this.passes[columns.length - 1]!(c0, c1, c2, c3, blocks, this.partialAt, sums.byteOffset, weight, flags);
    }
    return acc;
  }

  /**
   * After `dot`: the rows r in [from, count) whose score, the float32
   * product f32(acc[r]) × scales()[r], is above `threshold` (rounded to
   * float32), in increasing order; null when more than `max` (≤ capacity)
   * qualify. Float32 rounding puts a score within a relative 2^-23 of the
   * exact product: a caller that needs every row above an exact bound asks
   * for a slightly lower one. A view on the memory, valid until the next call.
   */
  select(from: number, count: number, threshold: number, max: number): Int32Array | null {
    if (!(from >= 0 && count <= this.dotted))
      throw new RangeError(`select reads rows ${from}…${count}, the last dot summed ${this.dotted}`);
    if (!(max >= 0 && max <= this.capacity)) throw new RangeError(`select's max ${max} is outside 0…${this.capacity}`);
    return selectRows(this.selection, from, Math.max(from, count), threshold, max);
  }

  /** A copy with room for `capacity` rows (≥ this one's), the rows so far copied (watch mode adds vectors). */
  grown(capacity: number): VectorScan {
    if (!(capacity >= this.capacity))
      throw new RangeError(`a grown VectorScan holds at least ${this.capacity} rows, not ${capacity}`);
    // In a memory of its own: an image is shared with other threads, and never written.
    const copy = new VectorScan(this.dimensions, capacity, { kernel: this.options.kernel });
    for (let d = 0; d < this.dimensions; d++) copy.column(d).set(this.column(d));
    copy.scales().set(this.rowScales);
    return copy;
  }
}

/**
 * The kernel's sums in JavaScript: the exact integers (every partial sum is
 * below 2^31 by the caller's bound, and exact in a double). Four columns per
 * pass over the sums, like the kernel: a quarter less CPU than one at a time
 * (70,000 rows, nnz 44: 4.0-4.2 ms against 5.2-5.7 ms per dot).
 */
function scanInJavaScript(
  matrix: Int8Array,
  capacity: number,
  dims: Int32Array,
  weights: Int32Array,
  nnz: number,
  acc: Int32Array,
): void {
  const count = acc.length;
  const column = (k: number) => matrix.subarray(dims[k]! * capacity, dims[k]! * capacity + count);
  acc.fill(0);
  let k = 0;
  for (; k + 4 <= nnz; k += 4) {
    const [c0, c1, c2, c3] = [column(k), column(k + 1), column(k + 2), column(k + 3)];
    const [w0, w1, w2, w3] = [weights[k]!, weights[k + 1]!, weights[k + 2]!, weights[k + 3]!];
    for (let r = 0; r < count; r++) acc[r] = acc[r]! + w0 * c0[r]! + w1 * c1[r]! + w2 * c2[r]! + w3 * c3[r]!;
  }
  for (; k < nnz; k++) {
    const c = column(k);
    const w = weights[k]!;
    for (let r = 0; r < count; r++) acc[r] = acc[r]! + w * c[r]!;
  }
}

function align16(n: number): number {
  return Math.ceil(n / 16) * 16;
}
