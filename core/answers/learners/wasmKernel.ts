/**
 * The few WebAssembly instructions the engine's float kernels use, and a
 * module around one function. The kernels are a few dozen instructions
 * each, assembled here by hand: a toolchain for them would be a build step
 * of its own. Each kernel keeps the very order of additions of the
 * JavaScript loop it stands for (see RowMatrix and DenseLogits), and
 * WebAssembly has no fused multiply-add, so their numbers are the same bits;
 * VectorScan's integer kernel needs no such care (integer sums are exact).
 */
export const wasm = {
  get: (local: number) => [0x20, local],
  set: (local: number) => [0x21, local],
  tee: (local: number) => [0x22, local],
  i32: (n: number) => [0x41, ...sleb(n)],
  i32Add: [0x6a],
  i32Sub: [0x6b],
  i32Shl: [0x74],
  i32Ne: [0x47],
  i32Eqz: [0x45],
  i32GtU: [0x4b],
  i32And: [0x71],
  i32ShrU: [0x76],
  /** f32.reinterpret_i32: an int's bits as a float. */
  f32FromBits: [0xbe],
  /** i32.store, 4-byte aligned, at the address below the value plus `offset`. */
  i32Store: (offset: number) => [0x36, 2, ...leb(offset)],
  /** An `if` without results (its `end` closes it); `brIf(n)` inside counts it as one level. */
  if: [0x04, 0x40],
  else: [0x05],
  return: [0x0f],
  /** i32.load, 4-byte aligned, at the address on the stack plus `offset`. */
  i32Load: (offset: number) => [0x28, 2, ...leb(offset)],
  /** select: the first of two values if the i32 on top is not 0, else the second (any type, v128 too). */
  select: [0x1b],
  f64Add: [0xa0],
  /** f64.store, 8-byte aligned, at the address on the stack plus `offset`. */
  f64Store: (offset: number) => [0x39, 3, offset],
  /** A block and a loop without results; `brIf(0)` inside a loop goes round again, inside a block leaves it. */
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  end: [0x0b],
  brIf: (depth: number) => [0x0d, depth],
  /** v128.load (alignment as a power of two). */
  load: (align: number, offset: number) => simd(0x00, align, ...leb(offset)),
  /** v128.load64_splat: one double into both lanes. */
  loadSplat64: (offset: number) => simd(0x0a, 3, offset),
  /** v128.load8x8_s: eight int8 as the eight int16 lanes (sign-extended). */
  load8x8s: (offset: number) => simd(0x01, 0, ...leb(offset)),
  /** v128.store, 8-byte aligned. */
  store: (offset: number) => simd(0x0b, 3, ...leb(offset)),
  zero: simd(0x0c, ...new Array<number>(16).fill(0)),
  /** i8x16.shuffle of one vector with itself: its float32 lanes 2 and 3 into lanes 0 and 1. */
  highToLow: simd(0x0d, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7),
  /** f64x2.promote_low_f32x4: float32 lanes 0 and 1 as two doubles (exactly). */
  promoteLow: simd(0x5f),
  /** i8x16.shuffle of two vectors of int16: lanes 0–3 of each, interleaved (a0, b0, a1, b1, …). */
  interleaveLow16: simd(0x0d, 0, 1, 16, 17, 2, 3, 18, 19, 4, 5, 20, 21, 6, 7, 22, 23),
  /** The same with lanes 4–7 of each. */
  interleaveHigh16: simd(0x0d, 8, 9, 24, 25, 10, 11, 26, 27, 12, 13, 28, 29, 14, 15, 30, 31),
  /** i32x4.dot_i16x8_s: lane i = a[2i]·b[2i] + a[2i+1]·b[2i+1], exact in int32 (but for −32768² twice). */
  i32x4DotI16x8: simd(0xba),
  i32x4Add: simd(0xae),
  i16x8Splat: simd(0x10),
  /** i16x8.add: wraps (callers keep their sums within int16). */
  i16x8Add: simd(0x8e),
  /** i32x4.extmul_low_i16x8_s: lanes 0–3 of two int16 vectors multiplied into int32, exactly. */
  i32x4ExtmulLowI16x8: simd(0xbc),
  /** The same with lanes 4–7. */
  i32x4ExtmulHighI16x8: simd(0xbd),
  /** i32x4.bitmask: each lane's sign bit, lane i as bit i. */
  i32x4Bitmask: simd(0xa4),
  /** f32x4.convert_i32x4_s: each int32 lane as the nearest float32. */
  f32x4FromI32x4: simd(0xfa),
  f32x4Splat: simd(0x13),
  f32x4Mul: simd(0xe6),
  /** f32x4.gt: a lane of all ones where a > b (false against NaN). */
  f32x4Gt: simd(0x44),
  v128Or: simd(0x50),
  /** v128.any_true: 1 if any bit is set. */
  v128AnyTrue: simd(0x53),
  f64x2Add: simd(0xf0),
  f64x2Mul: simd(0xf2),
  f64x2Lane: (lane: number) => simd(0x21, lane),
  I32: 0x7f,
  V128: 0x7b,
} as const;

/**
 * `acc += promote(source's low or high two float32 lanes) · m`, all f64x2
 * locals: the step by which the classifier's kernels (dense and sparse
 * logits) sum eight classes at a time, exact in doubles.
 */
export function promotedMulAdd(acc: number, source: number, high: boolean, m: number): number[] {
  const w = wasm;
  return [
    ...w.get(acc),
    ...w.get(source),
    ...(high ? [...w.get(source), ...w.highToLow] : []),
    ...w.promoteLow,
    ...w.get(m),
    ...w.f64x2Mul,
    ...w.f64x2Add,
    ...w.set(acc),
  ];
}

/** Pages a shared kernel memory may grow to (4 GiB): a shared memory declares its maximum, and an import must allow it. */
export const SHARED_MAX_PAGES = 65536;

/**
 * A module that imports its memory as m.m and exports one function `name`
 * taking `params` i32 and returning nothing, with `locals` (count, type)
 * after its parameters; null where this runtime has no WebAssembly SIMD.
 * `shared`: the memory it imports is a shared one (`sharedKernelMemory`),
 * which threads hold at once; a module of either kind refuses the other's.
 */
export function kernelModule(
  name: string,
  params: number,
  locals: [count: number, type: number][],
  body: number[],
  shared = false,
): WebAssembly.Module | null {
  const code = [locals.length, ...locals.flat(), ...body, ...wasm.end];
  const text = (s: string) => [s.length, ...Array.from(s, (c) => c.charCodeAt(0))];
  const section = (id: number, content: number[]) => [id, ...leb(content.length), ...content];
  const bytes = Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, [1, 0x60, params, ...new Array<number>(params).fill(wasm.I32), 0]),
    // memory m.m, at least 0 pages (shared: flags 3, at most SHARED_MAX_PAGES)
    ...section(2, [
      1,
      ...text('m'),
      ...text('m'),
      0x02,
      ...(shared ? [0x03, 0x00, ...leb(SHARED_MAX_PAGES)] : [0x00, 0x00]),
    ]),
    ...section(3, [1, 0]),
    ...section(7, [1, ...text(name), 0x00, 0]),
    ...section(10, [1, ...leb(code.length), ...code]),
  ]);
  return typeof WebAssembly === 'object' && WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
}

/** A memory of at least `bytes` for one instance of `module`, and its function. Never grown: that would detach views on it. */
export function kernelInstance<F extends (...args: number[]) => void>(
  module: WebAssembly.Module,
  name: string,
  bytes: number,
): { memory: WebAssembly.Memory; run: F } {
  const pages = Math.max(1, Math.ceil(bytes / 65536));
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
  const instance = new WebAssembly.Instance(module, { m: { m: memory } });
  return { memory, run: instance.exports[name] as F };
}

/** A shared memory of `bytes` (rounded up to pages) for modules made with `shared`, growable to SHARED_MAX_PAGES. */
export function sharedKernelMemory(bytes: number): WebAssembly.Memory {
  const pages = Math.max(1, Math.ceil(bytes / 65536));
  return new WebAssembly.Memory({ initial: pages, maximum: SHARED_MAX_PAGES, shared: true });
}

/** Another instance of `module` on a memory that exists (kernels sharing one memory: VectorScan's `dot` and `select`). */
export function kernelOn<F extends (...args: number[]) => void>(
  module: WebAssembly.Module,
  name: string,
  memory: WebAssembly.Memory,
): F {
  return new WebAssembly.Instance(module, { m: { m: memory } }).exports[name] as F;
}

function simd(op: number, ...immediates: number[]): number[] {
  return [0xfd, ...leb(op), ...immediates];
}

/** Signed LEB128 (i32.const's immediate: 64 is two bytes, its one-byte form would read -64). */
function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && !(byte & 0x40)) || (n === -1 && byte & 0x40)) return [...out, byte];
    out.push(byte | 0x80);
  }
}

/** Unsigned LEB128. */
function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n) byte |= 0x80;
    out.push(byte);
  } while (n);
  return out;
}
