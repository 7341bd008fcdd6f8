/** The slots of a day's hashes (conversations or identity keys), numbering new ones as they come. */
export function slotsOf(hashes: Float64Array, slots: SlotTable): Int32Array {
  const out = new Int32Array(hashes.length);
  for (let j = 0; j < hashes.length; j++) out[j] = slots.slotOf(hashes[j]!);
  return out;
}

/**
 * Hash → dense number, as an open-addressing table over typed arrays. A Map
 * keyed by 52-bit numbers boxes every key; this allocates nothing per key,
 * which makes it several times faster for the ~million conversations of a
 * large period.
 */
export class SlotTable {
  private readonly keys: Float64Array;
  private readonly values: Int32Array;
  private readonly mask: number;
  private count = 0;
  constructor(expected: number) {
    let size = 16;
    while (size < expected * 2) size *= 2;
    this.keys = new Float64Array(size);
    this.values = new Int32Array(size).fill(-1);
    this.mask = size - 1;
  }
  slotOf(hash: number): number {
    // The low 32 bits of a cyrb53 hash are already well mixed.
    let i = (hash >>> 0) & this.mask;
    for (;;) {
      const v = this.values[i]!;
      if (v === -1) {
        this.keys[i] = hash;
        return (this.values[i] = this.count++);
      }
      if (this.keys[i] === hash) return v;
      i = (i + 1) & this.mask;
    }
  }
}
