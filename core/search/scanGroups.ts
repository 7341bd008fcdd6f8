import { kernelModule, wasm } from '../answers/learners/wasmKernel.ts';

/** Rows per block: one i16x8 pair of column sums and four i32x4 of dot products. */
export const GROUP_BLOCK = 16;
/**
 * Columns per pass over the rows. Past the L3 cache four columns at a time
 * streamed from memory; eight ran at half the speed (700,000 rows: 0.12
 * against 0.064 ns per row and column), their streams too many for the
 * prefetcher to follow.
 */
const COLUMNS = 4;
/** Columns summed in int16 before their weight multiplies them: 256 int8 values (≥ −128 each) stay within −32768…32767. */
const MAX_GROUP = 256;

/** Flags of one pass: where its column sums start, and where they go. */
const FRESH = 1; // the group's first pass: the column sums start at 0, not from `partial`
const LAST = 2; // the group's last pass: weight × column sums added to the dot products (else kept in `partial`)
const FIRST_GROUP = 4; // the query's first group: the dot products start at 0

/** A pass of the kernel: its columns' byte addresses (1 to 4), the group's weight, its flags. */
export interface GroupPass {
  columns: number[];
  weight: number;
  flags: number;
}

/**
 * A sparse integer query's dot products as a few passes over its columns:
 * the dimensions that share a weight (a hashing question has a median 59
 * non-zero dimensions but 5 distinct weights) are added as int8 columns in
 * int16 sums, and multiplied by their weight once. Σ_k w_k·x_k =
 * Σ_w w·(Σ_{k: w_k = w} x_k): integers, so exactly the same sums, for about
 * half the instructions of a multiply per dimension.
 */
export function groupPasses(
  dims: Int32Array,
  weights: Int32Array,
  nnz: number,
  columnBytes: (d: number) => number,
): GroupPass[] {
  const order = Array.from({ length: nnz }, (_, k) => k).sort((a, b) => weights[a]! - weights[b]! || a - b);
  const passes: GroupPass[] = [];
  let groups = 0;
  for (let i = 0; i < nnz;) {
    const w = weights[order[i]!]!;
    let end = i;
    while (end < nnz && end - i < MAX_GROUP && weights[order[end]!] === w) end++;
    for (let at = i; at < end; at += COLUMNS) {
      const columns = order.slice(at, Math.min(end, at + COLUMNS)).map((k) => columnBytes(dims[k]!));
      const flags = (at === i ? FRESH : 0) | (at + COLUMNS >= end ? LAST : 0) | (groups === 0 ? FIRST_GROUP : 0);
      passes.push({ columns, weight: w, flags });
    }
    groups++;
    i = end;
  }
  return passes;
}

export type GroupRun = (
  c0: number,
  c1: number,
  c2: number,
  c3: number,
  blocks: number,
  partial: number,
  sums: number,
  weight: number,
  flags: number,
) => void;

const compiled = new Map<string, WebAssembly.Module | null>();

/**
 * The pass kernel for `columns` columns (1–4), compiled once; null where this runtime has no WebAssembly SIMD.
 * `shared`: for a shared memory (a scan read in place from a snapshot's shared file).
 */
export function groupKernel(columns: number, shared = false): WebAssembly.Module | null {
  const key = `${columns}${shared ? 's' : ''}`;
  let module = compiled.get(key);
  if (module === undefined) compiled.set(key, (module = groupModule(columns, shared)));
  return module;
}

/** Kernels for 1 to COLUMNS columns, index n − 1. */
export function groupKernels(shared = false): (WebAssembly.Module | null)[] {
  return Array.from({ length: COLUMNS }, (_, n) => groupKernel(n + 1, shared));
}

/**
 *   pass(c0, c1, c2, c3, blocks, partial, sums, weight, flags)   ;; byte addresses; blocks ≥ 1; columns c0…c(n−1)
 *     W = i16x8.splat(weight)
 *     loop (each block of sixteen rows)
 *       lo, hi = flags & FRESH ? 0 : v128.load(partial), v128.load(partial + 16)     ;; int16 column sums, rows 0–7, 8–15
 *       for each column c: lo += load8x8_s(c); hi += load8x8_s(c + 8); c += 16
 *       if flags & LAST
 *         s[i] = flags & FIRST_GROUP ? 0 : v128.load(sums + 16i)                      ;; int32 dot products, rows 4i…4i+3
 *         s0 += extmul_low(lo, W); s1 += extmul_high(lo, W); s2 += extmul_low(hi, W); s3 += extmul_high(hi, W)
 *         v128.store(sums + 16i, s[i])
 *       else v128.store(partial, lo); v128.store(partial + 16, hi)
 *       partial += 32; sums += 64
 *     while --blocks ≠ 0
 */
function groupModule(n: number, shared: boolean): WebAssembly.Module | null {
  const [BLOCKS, PARTIAL, SUMS, WEIGHT, FLAGS] = [4, 5, 6, 7, 8];
  const [FRESH_FLAG, LAST_FLAG, FIRST_FLAG, W, LO, HI, S] = [9, 10, 11, 12, 13, 14, 15];
  const w = wasm;
  const cols = Array.from({ length: n }, (_, c) => c);
  const flag = (bit: number, local: number) => [...w.get(FLAGS), ...w.i32(bit), ...w.i32And, ...w.set(local)];
  const start = (local: number, offset: number) => [
    ...w.get(PARTIAL), ...w.load(4, offset), ...w.zero, ...w.get(FRESH_FLAG), ...w.i32Eqz, ...w.select, ...w.set(local),
  ]; // prettier-ignore
  const add = (local: number, c: number, offset: number) => [
    ...w.get(local), ...w.get(c), ...w.load8x8s(offset), ...w.i16x8Add, ...w.set(local),
  ]; // prettier-ignore
  const product = (i: number, source: number, high: boolean) => [
    ...w.get(SUMS), ...w.load(4, 16 * i), ...w.zero, ...w.get(FIRST_FLAG), ...w.i32Eqz, ...w.select,
    ...w.get(source), ...w.get(W), ...(high ? w.i32x4ExtmulHighI16x8 : w.i32x4ExtmulLowI16x8), ...w.i32x4Add,
    ...w.set(S + i),
  ]; // prettier-ignore
  const body = [
    ...w.get(WEIGHT), ...w.i16x8Splat, ...w.set(W),
    ...flag(FRESH, FRESH_FLAG), ...flag(LAST, LAST_FLAG), ...flag(FIRST_GROUP, FIRST_FLAG),
    ...w.loop,
    ...start(LO, 0), ...start(HI, 16),
    ...cols.flatMap((c) => [...add(LO, c, 0), ...add(HI, c, 8)]),
    ...cols.flatMap((c) => [...w.get(c), ...w.i32(GROUP_BLOCK), ...w.i32Add, ...w.set(c)]),
    ...w.get(LAST_FLAG),
    ...w.if,
    ...product(0, LO, false), ...product(1, LO, true), ...product(2, HI, false), ...product(3, HI, true),
    ...[0, 1, 2, 3].flatMap((i) => [...w.get(SUMS), ...w.get(S + i), ...w.store(16 * i)]),
    ...w.else,
    ...w.get(PARTIAL), ...w.get(LO), ...w.store(0),
    ...w.get(PARTIAL), ...w.get(HI), ...w.store(16),
    ...w.end,
    ...w.get(PARTIAL), ...w.i32(32), ...w.i32Add, ...w.set(PARTIAL),
    ...w.get(SUMS), ...w.i32(64), ...w.i32Add, ...w.set(SUMS),
    ...w.get(BLOCKS), ...w.i32(1), ...w.i32Sub, ...w.tee(BLOCKS), ...w.brIf(0),
    ...w.end,
  ]; // prettier-ignore
  return kernelModule(
    'pass',
    9,
    [
      [3, w.I32],
      [7, w.V128],
    ],
    body,
    shared,
  );
}
