import { kernelModule, wasm } from '../answers/learners/wasmKernel.ts';

/** Rows per step of the kernel: four i32x4 of sums and of scales, one test whether any of the sixteen qualifies. */
export const SELECT_BLOCK = 16;

/** Where a selection reads and writes: views on VectorScan's memory (see its layout). */
export interface SelectMemory {
  sums: Int32Array;
  scales: Float32Array;
  /** Room for `max + SELECT_BLOCK` rows: the kernel writes a block's lanes before it checks the count. */
  selected: Int32Array;
  /** One int32 the kernel writes its count into (−1: more than allowed). */
  result: Int32Array;
  run: SelectRun | null;
}

export type SelectRun = (
  sums: number,
  scales: number,
  out: number,
  blocks: number,
  row: number,
  outMax: number,
  thresholdBits: number,
  result: number,
) => void;

const bits = new Int32Array(1);
const asFloat = new Float32Array(bits.buffer);

/**
 * The rows r in [from, count) whose float32 score f32(sums[r]) × scales[r]
 * (each product rounded to float32, as `f32x4.mul` does) is above
 * `threshold` rounded to float32, in increasing order, in a view on
 * `selected`; null when more than `max` qualify. The kernel takes the
 * whole blocks of sixteen rows, JavaScript the few before and after, with
 * the same float32 arithmetic (Math.fround of a product of two float32 is
 * the float32 product: it is exact in a double before its one rounding).
 */
export function selectRows(
  memory: SelectMemory,
  from: number,
  count: number,
  threshold: number,
  max: number,
): Int32Array | null {
  const { sums, scales, selected, result, run } = memory;
  const t = Math.fround(threshold);
  const start = Math.min(count, Math.ceil(from / SELECT_BLOCK) * SELECT_BLOCK);
  const end = Math.max(start, Math.floor(count / SELECT_BLOCK) * SELECT_BLOCK);
  let n = 0;
  const pick = (lo: number, hi: number): boolean => {
    for (let r = lo; r < hi; r++)
      if (Math.fround(Math.fround(sums[r]!) * scales[r]!) > t) {
        if (n === max) return false;
        selected[n++] = r;
      }
    return true;
  };
  if (!pick(from, start)) return null;
  if (run && end > start) {
    asFloat[0] = t;
    const out = selected.byteOffset + 4 * n;
    run(
      sums.byteOffset + 4 * start,
      scales.byteOffset + 4 * start,
      out,
      (end - start) / SELECT_BLOCK,
      start,
      selected.byteOffset + 4 * max,
      bits[0]!,
      result.byteOffset,
    );
    if (result[0]! < 0) return null;
    n += result[0]!;
  } else if (!pick(start, end)) return null;
  return pick(end, count) ? selected.subarray(0, n) : null;
}

const compiled = new Map<boolean, WebAssembly.Module | null>();

/** The selection kernel, compiled once (for a shared memory or not); null where this runtime has no WebAssembly SIMD. */
export function selectKernel(shared = false): WebAssembly.Module | null {
  let module = compiled.get(shared);
  if (module === undefined) compiled.set(shared, (module = selectModule(shared)));
  return module;
}

/**
 *   select(sums, scales, out, blocks, row, outMax, thresholdBits, result)   ;; byte addresses, blocks ≥ 1
 *     o = out; t = f32x4.splat(reinterpret(thresholdBits))
 *     loop (each block of sixteen rows)
 *       x[i] = f32x4.gt(f32x4.mul(convert_s(load(sums + 16i)), load(scales + 16i)), t)   for i < 4
 *       if any_true(x[0] | x[1] | x[2] | x[3])
 *         for i < 4, lane < 4: store(o, row + 4i + lane); o += 4 × bit lane of bitmask(x[i])
 *         if o > outMax: store(result, −1); return
 *       sums += 64; scales += 64; row += 16
 *     while --blocks ≠ 0
 *     store(result, (o − out) / 4)
 * Most blocks hold no row above a good threshold: one branch per sixteen rows.
 */
function selectModule(shared: boolean): WebAssembly.Module | null {
  const [SUMS, SCALES, OUT, BLOCKS, ROW, OUT_MAX, BITS, RESULT, O, MASK, T, X] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  const w = wasm;
  const four = (f: (i: number) => number[]) => [0, 1, 2, 3].map(f).flat();
  const appended = (i: number) => [
    ...w.get(X + i), ...w.i32x4Bitmask, ...w.set(MASK),
    ...four((lane) => [
      ...w.get(O), ...w.get(ROW), ...w.i32(4 * i + lane), ...w.i32Add, ...w.i32Store(0),
      ...w.get(O), ...w.get(MASK), ...w.i32(lane), ...w.i32ShrU, ...w.i32(1), ...w.i32And, ...w.i32(2), ...w.i32Shl,
      ...w.i32Add, ...w.set(O),
    ]),
  ]; // prettier-ignore
  const body = [
    ...w.get(OUT), ...w.set(O),
    ...w.get(BITS), ...w.f32FromBits, ...w.f32x4Splat, ...w.set(T),
    ...w.loop,
    ...four((i) => [
      ...w.get(SUMS), ...w.load(4, 16 * i), ...w.f32x4FromI32x4,
      ...w.get(SCALES), ...w.load(4, 16 * i), ...w.f32x4Mul, ...w.get(T), ...w.f32x4Gt, ...w.set(X + i),
    ]),
    ...w.get(X), ...w.get(X + 1), ...w.v128Or, ...w.get(X + 2), ...w.get(X + 3), ...w.v128Or, ...w.v128Or,
    ...w.v128AnyTrue,
    ...w.if,
    ...four(appended),
    ...w.get(O), ...w.get(OUT_MAX), ...w.i32GtU,
    ...w.if, ...w.get(RESULT), ...w.i32(-1), ...w.i32Store(0), ...w.return, ...w.end,
    ...w.end,
    ...w.get(SUMS), ...w.i32(64), ...w.i32Add, ...w.set(SUMS),
    ...w.get(SCALES), ...w.i32(64), ...w.i32Add, ...w.set(SCALES),
    ...w.get(ROW), ...w.i32(SELECT_BLOCK), ...w.i32Add, ...w.set(ROW),
    ...w.get(BLOCKS), ...w.i32(1), ...w.i32Sub, ...w.tee(BLOCKS), ...w.brIf(0),
    ...w.end,
    ...w.get(RESULT), ...w.get(O), ...w.get(OUT), ...w.i32Sub, ...w.i32(2), ...w.i32ShrU, ...w.i32Store(0),
  ]; // prettier-ignore
  return kernelModule(
    'select',
    8,
    [
      [2, w.I32],
      [5, w.V128],
    ],
    body,
    shared,
  );
}
