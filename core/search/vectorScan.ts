import { kernelInstance, kernelModule, kernelOn, wasm } from '../answers/learners/wasmKernel.ts';
import { SELECT_BLOCK, type SelectMemory, selectKernel, selectRows } from './scanSelect.ts';

/** Rows per block: their sums stay in registers while the block meets a group's columns (32 measured no faster). */
const BLOCK = 16;
/**
 * Pairs of query dimensions per pass over the rows (four columns). Past the
 * L3 cache (70,000 rows) four columns at a time streamed from memory ran in
 * a third of the time of all 44 at once (whose sums are stored only once,
 * but whose 44 far-apart streams the prefetcher does not follow), and
 * faster than 2, 6, 8 or 16 columns; within the cache it makes no difference.
 */
const GROUP = 2;
/** 32-bit WebAssembly addresses at most 4 GiB; the JavaScript path keeps the same limit so both hold the same KBs. */
const MAX_BYTES = 2 ** 32;
/** Rows past `max` a selection may write (the kernel appends a whole block before it checks the count). */
const SELECT_ROOM = SELECT_BLOCK;

/**
 * A dimension-major int8 matrix in one WebAssembly.Memory, and the exact
 * integer dot products of a sparse integer query with each of its rows.
 *
 * A hashing-embedder question has ~44 non-zero dimensions of 1,024, so its
 * dot products with every vector are Σ over those dimensions of weight ×
 * column: 44 × N multiply-adds, reading 44 columns of N bytes. The kernel
 * takes the query's dimensions two by two and the rows sixteen at a time:
 * the two columns' int8 values, sign-extended and interleaved, meet the two
 * weights in one i32x4.dot_i16x8_s (two products and their sum per row).
 * One pass over the rows takes four columns (GROUP pairs), each row's sum
 * kept in a register across them: the sums are read and written once per
 * four dimensions instead of once per dimension. Integer sums, so the
 * JavaScript loop gives the very same numbers.
 *
 * Memory: the matrix (columns of exactly `capacity` bytes, one after
 * another: `bytes()` is the file's image), 16 bytes of slack (the last
 * block of the last column reads up to 15 bytes past it: those rows' sums
 * are never returned), the sums, the query's table, then per row a float
 * scale, and room for a selection's rows (`select`) and its count.
 */
export class VectorScan {
  /** Which code runs: 'wasm-simd' or 'js' (where the runtime has no WebAssembly SIMD, or the caller asked for it). */
  readonly kernel: 'wasm-simd' | 'js';
  private readonly matrix: Int8Array;
  private readonly sums: Int32Array;
  /** Per pair of query dimensions, 32 bytes: the two columns' addresses (int32), then the two weights × 4 (int16, from byte 16). */
  private readonly table: Int32Array;
  private readonly tableWeights: Int16Array;
  private readonly run:
    ((table: number, tableEnd: number, blocks: number, sums: number, accumulate: number) => void) | null;
  private readonly rowScales: Float32Array;
  private readonly selection: SelectMemory;
  /** Rows whose sums the last `dot` left (what `select` may read). */
  private dotted = 0;

  constructor(
    readonly dimensions: number,
    readonly capacity: number,
    /** kernel false: the JavaScript loop even where WebAssembly SIMD runs (the specs compare the two). */
    private readonly options: { kernel?: boolean } = {},
  ) {
    if (!Number.isInteger(dimensions) || dimensions < 1 || !Number.isInteger(capacity) || capacity < 0)
      throw new RangeError(`VectorScan needs whole dimensions ≥ 1 and capacity ≥ 0 (got ${dimensions}, ${capacity})`);
    const matrixBytes = dimensions * capacity;
    const blocks = Math.ceil(capacity / BLOCK);
    const sumsAt = align16(matrixBytes + BLOCK);
    const tableAt = sumsAt + blocks * BLOCK * 4;
    const scalesAt = align16(tableAt + Math.ceil(dimensions / 2) * 32);
    const selectedAt = scalesAt + blocks * BLOCK * 4;
    const resultAt = selectedAt + (blocks * BLOCK + SELECT_ROOM) * 4;
    const bytes = resultAt + 16;
    if (bytes > MAX_BYTES)
      throw new RangeError(
        `VectorScan of ${capacity} rows × ${dimensions} dimensions needs ${bytes} bytes, past the 4 GiB of 32-bit WebAssembly memory: ` +
          `fewer rows (at most ${Math.floor((MAX_BYTES - 1024 - Math.ceil(dimensions / 2) * 32) / (dimensions + 12))}) or fewer dimensions`,
      );
    const module = (options.kernel ?? true) ? compiledKernel() : null;
    const selecting = module ? selectKernel() : null;
    let buffer: ArrayBufferLike;
    let select: SelectMemory['run'] = null;
    if (module && selecting) {
      const instance = kernelInstance<NonNullable<VectorScan['run']>>(module, 'scan', bytes);
      buffer = instance.memory.buffer;
      this.run = instance.run;
      select = kernelOn(selecting, 'select', instance.memory);
      this.kernel = 'wasm-simd';
    } else {
      buffer = new ArrayBuffer(bytes);
      this.run = null;
      this.kernel = 'js';
    }
    this.matrix = new Int8Array(buffer, 0, matrixBytes);
    this.sums = new Int32Array(buffer, sumsAt, blocks * BLOCK);
    this.table = new Int32Array(buffer, tableAt, Math.ceil(dimensions / 2) * 8);
    this.tableWeights = new Int16Array(buffer, tableAt, Math.ceil(dimensions / 2) * 16);
    this.rowScales = new Float32Array(buffer, scalesAt, capacity);
    this.selection = {
      sums: this.sums,
      scales: new Float32Array(buffer, scalesAt, blocks * BLOCK),
      selected: new Int32Array(buffer, selectedAt, blocks * BLOCK + SELECT_ROOM),
      result: new Int32Array(buffer, resultAt, 1),
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
    return new Uint8Array(this.matrix.buffer, 0, this.matrix.length);
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
    if (!this.run) {
      scanInJavaScript(this.matrix, capacity, dims, weights, nnz, acc);
      return acc;
    }
    const { table, tableWeights } = this;
    const pairs = Math.ceil(nnz / 2);
    for (let p = 0; p < pairs; p++) {
      const k = 2 * p;
      // An odd query's last pair is completed with column 0 at weight 0.
      const second = k + 1 < nnz;
      table[p * 8] = dims[k]! * capacity;
      table[p * 8 + 1] = second ? dims[k + 1]! * capacity : 0;
      const w1 = weights[k]!;
      const w2 = second ? weights[k + 1]! : 0;
      for (let lane = p * 16 + 8; lane < p * 16 + 16; lane += 2) {
        tableWeights[lane] = w1;
        tableWeights[lane + 1] = w2;
      }
    }
    const blocks = Math.ceil(count / BLOCK);
    for (let p = 0; p < pairs; p += GROUP)
      this.run(
        table.byteOffset + p * 32,
        table.byteOffset + Math.min(pairs, p + GROUP) * 32,
        blocks,
        sums.byteOffset,
        p,
      );
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
    const copy = new VectorScan(this.dimensions, capacity, this.options);
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

let compiled: WebAssembly.Module | null | undefined;

function compiledKernel(): WebAssembly.Module | null {
  return compiled === undefined ? (compiled = scanKernel(BLOCK)) : compiled;
}

/**
 * The kernel for `rows` rows per block (a multiple of 8; `rows`/4 sums held
 * in registers), over the pairs of query dimensions in [table, tableEnd):
 *
 *   scan(table, tableEnd, blocks, sums, accumulate)   ;; byte addresses; tableEnd > table, blocks ≥ 1
 *     r = 0
 *     loop (each block of rows)
 *       s[i] = accumulate ? v128.load(sums + 16i) : 0 for i < rows/4   ;; i32x4: rows r+4i … r+4i+3
 *       p = table
 *       loop (each pair of query dimensions)
 *         a = i32.load(p) + r; b = i32.load(p + 4) + r; w = v128.load(p + 16)   ;; w = (w1, w2) × 4
 *         for h < rows/8:                  ;; eight rows at a time
 *           x = load8x8_s(a + 8h); y = load8x8_s(b + 8h)                         ;; int16 lanes
 *           s[2h]   += dot_i16x8_s(interleave(x[0…3], y[0…3]), w)                ;; x·w1 + y·w2, rows 0–3
 *           s[2h+1] += dot_i16x8_s(interleave(x[4…7], y[4…7]), w)                ;; rows 4–7
 *         p += 32
 *       while p ≠ tableEnd
 *       v128.store(sums + 16i, s[i]) for each i; sums += 4·rows; r += rows
 *     while --blocks ≠ 0
 */
function scanKernel(rows: number): WebAssembly.Module | null {
  const [TABLE, TABLE_END, BLOCKS, SUMS, ACCUMULATE, R, P, A, B, W, X, Y, S] = [
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
  ];
  const sums = rows / 4;
  const w = wasm;
  const each = (f: (i: number) => number[]) => Array.from({ length: sums }, (_, i) => f(i)).flat();
  const eight = (h: number) => [
    ...w.get(A), ...w.load8x8s(8 * h), ...w.set(X),
    ...w.get(B), ...w.load8x8s(8 * h), ...w.set(Y),
    ...w.get(S + 2 * h), ...w.get(X), ...w.get(Y), ...w.interleaveLow16, ...w.get(W), ...w.i32x4DotI16x8, ...w.i32x4Add,
    ...w.set(S + 2 * h),
    ...w.get(S + 2 * h + 1), ...w.get(X), ...w.get(Y), ...w.interleaveHigh16, ...w.get(W), ...w.i32x4DotI16x8,
    ...w.i32x4Add, ...w.set(S + 2 * h + 1),
  ]; // prettier-ignore
  const body = [
    ...w.loop,
    ...each((i) => [...w.get(SUMS), ...w.load(4, 16 * i), ...w.zero, ...w.get(ACCUMULATE), ...w.select, ...w.set(S + i)]),
    ...w.get(TABLE), ...w.set(P),
    ...w.loop,
    ...w.get(P), ...w.i32Load(0), ...w.get(R), ...w.i32Add, ...w.set(A),
    ...w.get(P), ...w.i32Load(4), ...w.get(R), ...w.i32Add, ...w.set(B),
    ...w.get(P), ...w.load(4, 16), ...w.set(W),
    ...Array.from({ length: rows / 8 }, (_, h) => eight(h)).flat(),
    ...w.get(P), ...w.i32(32), ...w.i32Add, ...w.tee(P), ...w.get(TABLE_END), ...w.i32Ne, ...w.brIf(0),
    ...w.end,
    ...each((i) => [...w.get(SUMS), ...w.get(S + i), ...w.store(16 * i)]),
    ...w.get(SUMS), ...w.i32(4 * rows), ...w.i32Add, ...w.set(SUMS),
    ...w.get(R), ...w.i32(rows), ...w.i32Add, ...w.set(R),
    ...w.get(BLOCKS), ...w.i32(1), ...w.i32Sub, ...w.tee(BLOCKS), ...w.brIf(0),
    ...w.end,
  ]; // prettier-ignore
  return kernelModule(
    'scan',
    5,
    [
      [4, w.I32],
      [3 + sums, w.V128],
    ],
    body,
  );
}
