import { kernelInstance, kernelModule, promotedMulAdd, wasm } from './wasmKernel.ts';

/** Classes per block: four f64x2 sums running side by side, two classes each. */
const BLOCK = 8;

/**
 * A trained classifier's dense block (its classes' weights over the input's
 * meaning vector), each class's sum over the dimensions computed in a
 * WebAssembly kernel: at 10k articles a million multiply-adds per question,
 * 85 % of the classifier's logits. Every class's sum is the one `logits` adds
 * in JavaScript: dimension after dimension from zero, each product of two
 * float32 exact in a double (WebAssembly has no fused multiply-add), so the
 * same bits. The kernel reads the weights eight classes to a dimension, two
 * classes to a register, so it holds its own copy of them in that order
 * (the size of the dense block again: 4 MB at 10k articles); made once per
 * trained model, never for one still training.
 *
 * A class whose dense weights are all zero adds nothing: its sum is +0, and
 * a logit plus +0 is that logit (the sparse sums before it start at +0 and
 * are never −0). On the bilingual bench KB 39 % of the classes are such
 * (articles in a language the word vectors do not speak, whose examples
 * have no dense block, nor do their rivals'), so the kernel and its copy
 * hold the other classes only, and each sum goes to its class.
 */
export class DenseLogits {
  private constructor(
    /** The classes with a non-zero weight, in increasing order: the kernel's sums are theirs. */
    private readonly live: Int32Array,
    private readonly dims: number,
    private readonly blocks: number,
    private readonly run: (weights: number, blocks: number, dims: number, input: number, out: number) => void,
    private readonly weightsAt: number,
    private readonly input: Float64Array,
    private readonly sums: Float64Array,
    /** The weights, class after class, for the live classes past the last full block (summed in JavaScript). */
    private readonly weights: Float32Array,
  ) {}

  /** The kernel over `denseWeights` (classes × dims, class-major), or null where it cannot run (no SIMD, an odd shape). */
  static of(denseWeights: Float32Array, classes: number): DenseLogits | null {
    const dims = classes > 0 ? denseWeights.length / classes : 0;
    if (!Number.isInteger(dims) || dims === 0 || classes < BLOCK) return null;
    const module = kernel();
    if (!module) return null;
    const live = liveClasses(denseWeights, classes, dims);
    const blocks = Math.floor(live.length / BLOCK);
    const weightBytes = blocks * BLOCK * dims * 4;
    const inputAt = weightBytes;
    const sumsAt = inputAt + dims * 8;
    const { memory, run } = kernelInstance<DenseLogits['run']>(module, 'dense', sumsAt + blocks * BLOCK * 8);
    const blocked = new Float32Array(memory.buffer, 0, blocks * BLOCK * dims);
    for (let b = 0; b < blocks; b++)
      for (let d = 0; d < dims; d++)
        for (let j = 0; j < BLOCK; j++)
          blocked[(b * dims + d) * BLOCK + j] = denseWeights[live[b * BLOCK + j]! * dims + d]!;
    return new DenseLogits(
      live,
      dims,
      blocks,
      run,
      0,
      new Float64Array(memory.buffer, inputAt, dims),
      new Float64Array(memory.buffer, sumsAt, blocks * BLOCK),
      denseWeights,
    );
  }

  /**
   * out[c] += Σ_d weight(c, d) · dense[d], for every class: what `logits`
   * adds for the dense block. False (out untouched) for an input with a
   * value that is not finite (0 × ∞ is NaN: the classes skipped would not
   * add +0), left to `logits`' JavaScript loop.
   */
  addTo(dense: Float32Array, out: Float64Array): boolean {
    const { dims, blocks, live } = this;
    if (dense.length !== dims) throw new Error(`dense input of ${dense.length} dimensions, the block has ${dims}`);
    for (let d = 0; d < dims; d++) {
      if (!Number.isFinite(dense[d]!)) return false;
      this.input[d] = dense[d]!;
    }
    if (blocks > 0) this.run(this.weightsAt, blocks, dims, this.input.byteOffset, this.sums.byteOffset);
    const full = blocks * BLOCK;
    for (let i = 0; i < full; i++) out[live[i]!]! += this.sums[i]!;
    for (let i = full; i < live.length; i++) {
      const c = live[i]!;
      let s = 0;
      for (let d = 0; d < dims; d++) s += this.weights[c * dims + d]! * dense[d]!;
      out[c]! += s;
    }
    return true;
  }
}

/** The classes with a non-zero weight in their dense block (class-major, `dims` each), in increasing order. */
function liveClasses(denseWeights: Float32Array, classes: number, dims: number): Int32Array {
  const live: number[] = [];
  for (let c = 0; c < classes; c++)
    for (let d = c * dims; d < (c + 1) * dims; d++)
      if (denseWeights[d] !== 0) {
        live.push(c);
        break;
      }
  return Int32Array.from(live);
}

let compiled: WebAssembly.Module | null | undefined;

/**
 * The kernel, compiled once per process:
 *
 *   dense(weights, blocks, dims, input, sums)  ;; byte addresses; input: dims doubles; blocks ≥ 1
 *     end = input + dims·8
 *     loop (each block of eight classes)
 *       a0 = a1 = a2 = a3 = 0                   ;; f64x2: classes (0, 1), (2, 3), (4, 5), (6, 7)
 *       i = input
 *       loop (each dimension)
 *         x = v128.load(weights); y = v128.load(weights + 16)   ;; the eight classes' float32 weights
 *         m = v128.load64_splat(i)
 *         a0 += promote_low(x) · m;  a1 += promote_low(x[2], x[3]) · m
 *         a2 += promote_low(y) · m;  a3 += promote_low(y[2], y[3]) · m
 *         weights += 32; i += 8
 *       while i ≠ end
 *       v128.store(sums, a0); … (sums + 48, a3); sums += 64
 *     while --blocks ≠ 0
 */
function kernel(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  const [WEIGHTS, BLOCKS, DIMS, INPUT, SUMS, I, END, A0, A1, A2, A3, X, Y, M] = [
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13,
  ];
  const w = wasm;
  const accumulate = (acc: number, source: number, high: boolean) => promotedMulAdd(acc, source, high, M);
  const body = [
    ...w.get(INPUT), ...w.get(DIMS), ...w.i32(3), ...w.i32Shl, ...w.i32Add, ...w.set(END),
    ...w.block,
    ...w.get(BLOCKS), ...w.i32Eqz, ...w.brIf(0),
    ...w.loop,
    ...w.zero, ...w.set(A0), ...w.zero, ...w.set(A1), ...w.zero, ...w.set(A2), ...w.zero, ...w.set(A3),
    ...w.get(INPUT), ...w.set(I),
    ...w.loop,
    ...w.get(WEIGHTS), ...w.load(2, 0), ...w.set(X),
    ...w.get(WEIGHTS), ...w.load(2, 16), ...w.set(Y),
    ...w.get(I), ...w.loadSplat64(0), ...w.set(M),
    ...accumulate(A0, X, false), ...accumulate(A1, X, true),
    ...accumulate(A2, Y, false), ...accumulate(A3, Y, true),
    ...w.get(WEIGHTS), ...w.i32(32), ...w.i32Add, ...w.set(WEIGHTS),
    ...w.get(I), ...w.i32(8), ...w.i32Add, ...w.tee(I), ...w.get(END), ...w.i32Ne, ...w.brIf(0),
    ...w.end,
    ...w.get(SUMS), ...w.get(A0), ...w.store(0),
    ...w.get(SUMS), ...w.get(A1), ...w.store(16),
    ...w.get(SUMS), ...w.get(A2), ...w.store(32),
    ...w.get(SUMS), ...w.get(A3), ...w.store(48),
    ...w.get(SUMS), ...w.i32(64), ...w.i32Add, ...w.set(SUMS),
    ...w.get(BLOCKS), ...w.i32(1), ...w.i32Sub, ...w.tee(BLOCKS), ...w.brIf(0),
    ...w.end,
    ...w.end,
  ]; // prettier-ignore
  return (compiled = kernelModule(
    'dense',
    5,
    [
      [2, w.I32],
      [7, w.V128],
    ],
    body,
  ));
}
