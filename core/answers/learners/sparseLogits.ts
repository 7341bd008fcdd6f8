import type { ClassifierInput } from './softmaxRegression.ts';
import { kernelInstance, kernelModule, promotedMulAdd, wasm } from './wasmKernel.ts';

/** Classes per block: four f64x2 sums running side by side, two classes each (as DenseLogits). */
const BLOCK = 8;
/** Bytes per row of the kernel's table: the row's byte address (int32), 4 bytes unused, the input's value (a double). */
const ENTRY = 16;

/**
 * A trained classifier's sparse rows (one per feature it kept, every class's
 * weight in a row) summed for an input in a WebAssembly kernel: for each
 * class, Σ over the input's features with a row, in the input's order, of
 * weight × value, from zero. Each product of two float32 is exact in a
 * double and WebAssembly has no fused multiply-add, so every class gets the
 * very bits of `logits`' JavaScript sum; eight classes at a time instead of
 * four, without a bounds check per weight (at 10k articles 16 rows × 10,000
 * classes per question, and at 100k articles a tenth of the rows but ten
 * times the classes). The kernel holds its own copy of the rows (the model's
 * whole sparse matrix, 4 million cells at most: 16 MB), made once per
 * trained model, never for one still training.
 */
export class SparseLogits {
  private constructor(
    private readonly classes: number,
    private readonly blocks: number,
    private readonly run: (table: number, tableEnd: number, blocks: number, sums: number) => void,
    /** Per row of the input: the row's byte address in the memory (int32 at 4·i), its value (double at 2·i + 1). */
    private readonly tableAddresses: Int32Array,
    private readonly tableValues: Float64Array,
    private readonly sums: Float64Array,
    /** The model's rows, for the classes past the last full block (summed in JavaScript). */
    private readonly weights: Float32Array,
    private readonly rowOf: Int32Array,
  ) {}

  /** The kernel over a model's `weights` (rows × classes, row-major), or null where it cannot run (no SIMD, under eight classes). */
  static of(model: { weights: Float32Array; rowOf: Int32Array; classes: number }): SparseLogits | null {
    const { weights, rowOf, classes } = model;
    const rows = classes > 0 ? weights.length / classes : 0;
    const blocks = Math.floor(classes / BLOCK);
    if (!Number.isInteger(rows) || blocks === 0) return null;
    const module = kernel();
    if (!module) return null;
    const tableAt = align16(weights.length * 4);
    const sumsAt = tableAt + rows * ENTRY;
    const { memory, run } = kernelInstance<SparseLogits['run']>(module, 'sparse', sumsAt + blocks * BLOCK * 8);
    new Float32Array(memory.buffer, 0, weights.length).set(weights);
    return new SparseLogits(
      classes,
      blocks,
      run,
      new Int32Array(memory.buffer, tableAt, rows * (ENTRY / 4)),
      new Float64Array(memory.buffer, tableAt, rows * (ENTRY / 8)),
      new Float64Array(memory.buffer, sumsAt, blocks * BLOCK),
      weights,
      rowOf,
    );
  }

  /**
   * out[c] = Σ over x's features with a row, in order, of weight(row, c) ·
   * value, from 0: what `logits` writes before the dense block. False (out
   * untouched) for an input with more rows than the model has (a feature
   * repeated), left to `logits`' JavaScript loop.
   */
  sumsInto(x: ClassifierInput, out: Float64Array): boolean {
    const { classes, rowOf, tableAddresses, tableValues } = this;
    let n = 0;
    for (let k = 0; k < x.ids.length; k++) {
      const r = x.ids[k]! < rowOf.length ? rowOf[x.ids[k]!]! : -1;
      if (r < 0) continue;
      if (n === tableAddresses.length / (ENTRY / 4)) return false;
      tableAddresses[n * (ENTRY / 4)] = r * classes * 4;
      tableValues[n * (ENTRY / 8) + 1] = x.w[k]!;
      n++;
    }
    const full = this.blocks * BLOCK;
    if (n === 0) {
      out.fill(0, 0, classes);
      return true;
    }
    const table = tableAddresses.byteOffset;
    this.run(table, table + n * ENTRY, this.blocks, this.sums.byteOffset);
    out.set(this.sums.subarray(0, full));
    for (let c = full; c < classes; c++) {
      let z = 0;
      for (let j = 0; j < n; j++)
        z += this.weights[tableAddresses[j * (ENTRY / 4)]! / 4 + c]! * tableValues[j * 2 + 1]!;
      out[c] = z;
    }
    return true;
  }
}

function align16(n: number): number {
  return Math.ceil(n / 16) * 16;
}

let compiled: WebAssembly.Module | null | undefined;

/**
 * The kernel, compiled once per process:
 *
 *   sparse(table, tableEnd, blocks, sums)   ;; byte addresses; tableEnd > table; blocks ≥ 1
 *     off = 0
 *     loop (each block of eight classes)
 *       a0 = a1 = a2 = a3 = 0                ;; f64x2: classes (0, 1), (2, 3), (4, 5), (6, 7) of the block
 *       p = table
 *       loop (each row of the input, in order)
 *         at = i32.load(p) + off
 *         x = v128.load(at); y = v128.load(at + 16)   ;; the eight classes' float32 weights in that row
 *         m = v128.load64_splat(p + 8)
 *         a0 += promote_low(x) · m;  a1 += promote_low(x[2], x[3]) · m
 *         a2 += promote_low(y) · m;  a3 += promote_low(y[2], y[3]) · m
 *         p += 16
 *       while p ≠ tableEnd
 *       v128.store(sums, a0); … (sums + 48, a3); sums += 64; off += 32
 *     while --blocks ≠ 0
 */
function kernel(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  const [TABLE, TABLE_END, BLOCKS, SUMS, OFF, P, AT, A0, A1, A2, A3, X, Y, M] = [
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13,
  ];
  const w = wasm;
  const accumulate = (acc: number, source: number, high: boolean) => promotedMulAdd(acc, source, high, M);
  const body = [
    ...w.loop,
    ...w.zero, ...w.set(A0), ...w.zero, ...w.set(A1), ...w.zero, ...w.set(A2), ...w.zero, ...w.set(A3),
    ...w.get(TABLE), ...w.set(P),
    ...w.loop,
    ...w.get(P), ...w.i32Load(0), ...w.get(OFF), ...w.i32Add, ...w.set(AT),
    ...w.get(AT), ...w.load(2, 0), ...w.set(X),
    ...w.get(AT), ...w.load(2, 16), ...w.set(Y),
    ...w.get(P), ...w.loadSplat64(8), ...w.set(M),
    ...accumulate(A0, X, false), ...accumulate(A1, X, true),
    ...accumulate(A2, Y, false), ...accumulate(A3, Y, true),
    ...w.get(P), ...w.i32(ENTRY), ...w.i32Add, ...w.tee(P), ...w.get(TABLE_END), ...w.i32Ne, ...w.brIf(0),
    ...w.end,
    ...w.get(SUMS), ...w.get(A0), ...w.store(0),
    ...w.get(SUMS), ...w.get(A1), ...w.store(16),
    ...w.get(SUMS), ...w.get(A2), ...w.store(32),
    ...w.get(SUMS), ...w.get(A3), ...w.store(48),
    ...w.get(SUMS), ...w.i32(64), ...w.i32Add, ...w.set(SUMS),
    ...w.get(OFF), ...w.i32(4 * BLOCK), ...w.i32Add, ...w.set(OFF),
    ...w.get(BLOCKS), ...w.i32(1), ...w.i32Sub, ...w.tee(BLOCKS), ...w.brIf(0),
    ...w.end,
  ]; // prettier-ignore
  return (compiled = kernelModule(
    'sparse',
    4,
    [
      [3, w.I32],
      [7, w.V128],
    ],
    body,
  ));
}
