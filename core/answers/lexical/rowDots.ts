import { kernelInstance, kernelModule, wasm } from '../learners/wasmKernel.ts';

/**
 * A float32 matrix whose rows are compared with one query at a time: each
 * row's dot product summed in four running sums (dimension d into sum
 * d mod 4), then ((s0 + s1) + s2) + s3, in doubles (`laneDot`). A product of
 * two float32 numbers is exact in a double, so the only roundings are the
 * additions, and any code that adds the same products in the same order
 * gives the same bits.
 *
 * On a 10k-article KB a question word the KB's neighbour table has not seen
 * yet costs a scan of about 5,000 rows × 100 dimensions (the question
 * reading's p95). When the dimensions are a multiple of 4 the scan runs in a
 * small WebAssembly kernel that keeps s0 and s1 in one f64x2 register and
 * s2 and s3 in another: the same additions in the same order, two at a time.
 * WebAssembly has no fused multiply-add, so nothing is rounded differently.
 */
export class RowMatrix {
  /** The rows, row after row: the caller fills them before the first `dots`. */
  readonly values: Float32Array;
  private readonly query: Float64Array;
  private readonly out: Float64Array;
  private readonly kernel: ((matrix: number, rows: number, dims: number, query: number, out: number) => void) | null;

  constructor(
    readonly rows: number,
    readonly dims: number,
    /** false: the JavaScript loop even where the kernel could run (specs compare the two). */
    options: { kernel?: boolean } = {},
  ) {
    const module = (options.kernel ?? true) && dims > 0 && dims % 4 === 0 && rows > 0 ? kernel() : null;
    // The matrix, then the query as doubles, then one double per row; the two double arrays 8-byte aligned.
    const queryAt = align8(rows * dims * 4);
    const outAt = queryAt + dims * 8;
    const bytes = outAt + rows * 8;
    if (module) {
      const { memory, run } = kernelInstance<NonNullable<RowMatrix['kernel']>>(module, 'dots', bytes);
      this.kernel = run;
      this.values = new Float32Array(memory.buffer, 0, rows * dims);
      this.query = new Float64Array(memory.buffer, queryAt, dims);
      this.out = new Float64Array(memory.buffer, outAt, rows);
    } else {
      this.kernel = null;
      this.values = new Float32Array(rows * dims);
      this.query = new Float64Array(dims);
      this.out = new Float64Array(rows);
    }
  }

  /** Whether `dots` runs the WebAssembly kernel (false: the JavaScript loop, which gives the same numbers). */
  get usesKernel(): boolean {
    return this.kernel !== null;
  }

  /** Each row's dot product with `v` (its first `dims` values), as `laneDot` sums it; the array is reused by the next call. */
  dots(v: Float32Array): Float64Array {
    const { rows, dims, out } = this;
    if (!this.kernel) {
      for (let i = 0; i < rows; i++) out[i] = laneDot(v, this.values, i * dims, dims);
      return out;
    }
    for (let d = 0; d < dims; d++) this.query[d] = v[d]!;
    this.kernel(this.values.byteOffset, rows, dims, this.query.byteOffset, out.byteOffset);
    return out;
  }
}

/** The dot product of `v` and `m[offset … offset + dims)` in four running sums, dimension d in sum d mod 4. */
export function laneDot(v: Float32Array, m: Float32Array, offset: number, dims: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  const D4 = dims - (dims % 4);
  for (let d = 0; d < D4; d += 4) {
    s0 += v[d]! * m[offset + d]!;
    s1 += v[d + 1]! * m[offset + d + 1]!;
    s2 += v[d + 2]! * m[offset + d + 2]!;
    s3 += v[d + 3]! * m[offset + d + 3]!;
  }
  for (let d = D4; d < dims; d++) s0 += v[d]! * m[offset + d]!;
  return s0 + s1 + s2 + s3;
}

function align8(n: number): number {
  return Math.ceil(n / 8) * 8;
}

let compiled: WebAssembly.Module | null | undefined;

/**
 * The kernel, compiled once per process:
 *
 *   dots(matrix, rows, dims, query, out)   ;; byte addresses; dims a multiple of 4, rows ≥ 1
 *     qend = query + dims·8
 *     loop (each row)
 *       a01 = a23 = 0                          ;; f64x2: (s0, s1) and (s2, s3)
 *       q = query
 *       loop (four dimensions at a time)
 *         x = v128.load(matrix)                ;; four float32 of the row
 *         a01 += promote_low(x) · v128.load(q)               ;; dimensions d, d+1
 *         a23 += promote_low(x[2], x[3]) · v128.load(q + 16) ;; dimensions d+2, d+3
 *         matrix += 16; q += 32
 *       while q ≠ qend
 *       f64.store(out, ((a01[0] + a01[1]) + a23[0]) + a23[1]); out += 8
 *     while --rows ≠ 0
 */
function kernel(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  const [MATRIX, ROWS, DIMS, QUERY, OUT, Q, QEND, A01, A23, X] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const w = wasm;
  const body = [
    ...w.get(QUERY), ...w.get(DIMS), ...w.i32(3), ...w.i32Shl, ...w.i32Add, ...w.set(QEND),
    ...w.block,
    ...w.get(ROWS), ...w.i32Eqz, ...w.brIf(0),
    ...w.loop,
    ...w.zero, ...w.set(A01),
    ...w.zero, ...w.set(A23),
    ...w.get(QUERY), ...w.set(Q),
    ...w.loop,
    ...w.get(MATRIX), ...w.load(2, 0), ...w.set(X),
    ...w.get(A01), ...w.get(X), ...w.promoteLow, ...w.get(Q), ...w.load(3, 0), ...w.f64x2Mul, ...w.f64x2Add, ...w.set(A01),
    ...w.get(A23), ...w.get(X), ...w.get(X), ...w.highToLow, ...w.promoteLow, ...w.get(Q), ...w.load(3, 16),
    ...w.f64x2Mul, ...w.f64x2Add, ...w.set(A23),
    ...w.get(MATRIX), ...w.i32(16), ...w.i32Add, ...w.set(MATRIX),
    ...w.get(Q), ...w.i32(32), ...w.i32Add, ...w.tee(Q), ...w.get(QEND), ...w.i32Ne, ...w.brIf(0),
    ...w.end,
    ...w.get(OUT),
    ...w.get(A01), ...w.f64x2Lane(0), ...w.get(A01), ...w.f64x2Lane(1), ...w.f64Add,
    ...w.get(A23), ...w.f64x2Lane(0), ...w.f64Add,
    ...w.get(A23), ...w.f64x2Lane(1), ...w.f64Add,
    ...w.f64Store(0),
    ...w.get(OUT), ...w.i32(8), ...w.i32Add, ...w.set(OUT),
    ...w.get(ROWS), ...w.i32(1), ...w.i32Sub, ...w.tee(ROWS), ...w.brIf(0),
    ...w.end,
    ...w.end,
  ]; // prettier-ignore
  return (compiled = kernelModule(
    'dots',
    5,
    [
      [2, w.I32],
      [3, w.V128],
    ],
    body,
  ));
}
