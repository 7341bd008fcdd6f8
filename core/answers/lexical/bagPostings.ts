// How the word bags' postings are held (wordBags.ts scores them): as
// narrow integers as their numbers allow, in blocks of articles above
// 65,536 of them.

/**
 * The bags by feature: for each feature, the articles whose bag holds it and
 * how many times. Articles and counts are 16-bit integers when they fit
 * (below 65,536 articles, and counts are small): half the memory and file of
 * int32 and float32, 69 MB less at 10k articles, for the same numbers.
 * Counts are 8-bit when every one is below 256 (at most 87 at 10k
 * articles): 17 MB less again. Above 65,536 articles the articles stay
 * 16-bit, in blocks (`blocks`).
 */
export interface BagPostings {
  starts: Int32Array;
  rows: Int32Array | Uint16Array;
  values: Float32Array | Uint16Array | Uint8Array;
  /**
   * With more than 65,536 articles: a feature's postings, in increasing
   * article order, fall into blocks of 65,536 articles (BLOCK), each row
   * 16-bit from its block's first article, and `blocks[f · (B − 1) + b − 1]`
   * is where feature f's block b starts (b from 1, B blocks). At 100k
   * articles the rows were 690 of the served snapshot's 4,000 MB as int32;
   * the blocks add 2.4 MB. Absent: one block, rows as they are.
   */
  blocks?: Int32Array;
}

/** Articles per block of `BagPostings.blocks`: what a 16-bit row numbers. */
export const BLOCK = 0x10000;

/**
 * `postings` with its articles as 16-bit integers (in blocks above 65,536
 * articles) and its counts as 8- or 16-bit ones where every one fits (see
 * `BagPostings`).
 */
export function narrowed({ starts, rows, values }: BagPostings): BagPostings {
  const counts = asUnsigned(values, Uint8Array, 0xff) ?? asUint16(values) ?? values;
  const short = asUint16(rows);
  return short ? { starts, rows: short, values: counts } : { starts, ...inBlocks(starts, rows), values: counts };
}

/** 32-bit rows (in increasing order per feature, as Csr.build adds them) as 16-bit ones in blocks of BLOCK. */
function inBlocks(starts: Int32Array, rows: Int32Array | Uint16Array): { rows: Uint16Array; blocks: Int32Array } {
  const features = starts.length - 1;
  let most = 0;
  for (let p = 0; p < rows.length; p++) most = Math.max(most, rows[p]!);
  const inner = Math.floor(most / BLOCK);
  const blocks = new Int32Array(features * inner);
  const low = new Uint16Array(rows.length);
  for (let f = 0; f < features; f++) {
    let b = 1;
    for (let p = starts[f]!; p < starts[f + 1]!; p++) {
      const row = rows[p]!;
      while (b <= inner && row >= b * BLOCK) blocks[f * inner + b++ - 1] = p;
      low[p] = row % BLOCK;
    }
    while (b <= inner) blocks[f * inner + b++ - 1] = starts[f + 1]!;
  }
  return { rows: low, blocks };
}

/** The same numbers as 16-bit integers, or null when one is not such an integer. */
function asUint16(a: Int32Array | Float32Array | Uint16Array | Uint8Array): Uint16Array | null {
  return asUnsigned(a, Uint16Array, 0xffff);
}

/** The same numbers as integers of `Type` (at most `max`), or null when one is not such an integer. */
function asUnsigned<T extends Uint8Array | Uint16Array>(
  a: Int32Array | Float32Array | Uint16Array | Uint8Array,
  Type: new (length: number) => T,
  max: number,
): T | null {
  if (a instanceof Type) return a;
  const out = new Type(a.length);
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    if (!(x >= 0 && x <= max && Number.isInteger(x))) return null;
    out[i] = x;
  }
  return out;
}
