/**
 * Feature code → dense id, as two flat arrays: the codes by id, and an
 * open-addressing table of ids (linear probing, at most half full). A KB of
 * 10k articles uses about two million features: as a Map they took some
 * 80 bytes each of JS heap and a second to rebuild on every load; here they
 * take 12–16 bytes, outside the heap, and load as views on the snapshot's bytes.
 */
export class CodeTable {
  private readonly shift: number;

  private constructor(
    /** The code of each id. */
    readonly codes: Uint32Array,
    /** Each slot: an id + 1, or 0 when empty. */
    readonly slots: Int32Array,
  ) {
    this.shift = 32 - Math.log2(slots.length);
  }

  /** The table of `codes` (distinct), each numbered by its position. */
  static of(codes: Uint32Array): CodeTable {
    let size = 2;
    while (size < codes.length * 2) size *= 2;
    const slots = new Int32Array(size);
    const table = new CodeTable(codes, slots);
    const mask = size - 1;
    for (let id = 0; id < codes.length; id++) {
      let s = table.home(codes[id]!);
      while (slots[s] !== 0) s = (s + 1) & mask;
      slots[s] = id + 1;
    }
    return table;
  }

  /** A table saved with `codes` and `slots`; throws when they cannot be one (a damaged file). */
  static restore(codes: Uint32Array, slots: Int32Array): CodeTable {
    const bits = Math.log2(slots.length);
    if (!Number.isInteger(bits) || bits < 1 || slots.length < codes.length) throw new Error('code table is damaged');
    return new CodeTable(codes, slots);
  }

  get size(): number {
    return this.codes.length;
  }

  /** The id of `code`, or undefined when the KB has no such feature. */
  get(code: number): number | undefined {
    const { slots, codes } = this;
    const mask = slots.length - 1;
    for (let s = this.home(code); ; s = (s + 1) & mask) {
      const entry = slots[s]!;
      if (entry === 0) return undefined;
      if (codes[entry - 1] === code) return entry - 1;
    }
  }

  /** Fibonacci hashing: codes are hashes already, but their two low bits are the feature's kind, so take the high bits of a product. */
  private home(code: number): number {
    return Math.imul(code, 0x9e3779b1) >>> this.shift;
  }
}
