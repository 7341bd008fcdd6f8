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

/**
 * Numbers codes in order of first use while a space is fitted, in the same
 * flat layout. A JS Map did this before: codes above 2^31 are heap numbers,
 * and hashing them on every feature of every text was the largest single cost
 * of indexing 10k articles (tens of millions of lookups into two million keys).
 */
export class CodeNumbering {
  private codes = new Uint32Array(1024);
  private slots = new Int32Array(2048);
  private shift = 32 - 11;
  size = 0;

  /** The id of `code`, numbering it next when it is new. */
  idOf(code: number): number {
    const mask = this.slots.length - 1;
    let s = Math.imul(code, 0x9e3779b1) >>> this.shift;
    for (; ; s = (s + 1) & mask) {
      const entry = this.slots[s]!;
      if (entry === 0) break;
      if (this.codes[entry - 1] === code) return entry - 1;
    }
    const id = this.size++;
    if (id === this.codes.length) {
      const codes = new Uint32Array(this.codes.length * 2);
      codes.set(this.codes);
      this.codes = codes;
    }
    this.codes[id] = code;
    this.slots[s] = id + 1;
    // At most half full, as CodeTable.
    if (this.size * 2 > this.slots.length) this.rehash();
    return id;
  }

  /** The codes by id. */
  byId(): Uint32Array {
    return this.codes.slice(0, this.size);
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2);
    this.shift--;
    const mask = slots.length - 1;
    for (let id = 0; id < this.size; id++) {
      let s = Math.imul(this.codes[id]!, 0x9e3779b1) >>> this.shift;
      while (slots[s] !== 0) s = (s + 1) & mask;
      slots[s] = id + 1;
    }
    this.slots = slots;
  }
}
