/** The best k (similarity, label) pairs seen, as a heap whose root is the worst kept. */
export class TopK {
  private readonly sims: Float64Array;
  private readonly labels: Int32Array;
  private size = 0;

  constructor(private readonly k: number) {
    this.sims = new Float64Array(k);
    this.labels = new Int32Array(k);
  }

  get full(): boolean {
    return this.size === this.k;
  }

  get worst(): number {
    return this.sims[0]!;
  }

  /** Labels come in ascending order, so of two equal similarities the one kept is the earlier: `search` passes only higher ones once full. */
  push(similarity: number, label: number): void {
    const { sims, labels } = this;
    if (this.size < this.k) {
      let i = this.size++;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (!worse(similarity, label, sims[p]!, labels[p]!)) break;
        sims[i] = sims[p]!;
        labels[i] = labels[p]!;
        i = p;
      }
      sims[i] = similarity;
      labels[i] = label;
      return;
    }
    this.sink(similarity, label, this.k);
  }

  /** Puts (similarity, label) at the root of the heap's first `size` slots and sinks it below every worse pair. */
  private sink(similarity: number, label: number, size: number): void {
    const { sims, labels } = this;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= size) break;
      const r = l + 1;
      const c = r < size && worse(sims[r]!, labels[r]!, sims[l]!, labels[l]!) ? r : l;
      if (!worse(sims[c]!, labels[c]!, similarity, label)) break;
      sims[i] = sims[c]!;
      labels[i] = labels[c]!;
      i = c;
    }
    sims[i] = similarity;
    labels[i] = label;
  }

  /**
   * The pairs kept, best first (higher similarity, then the earlier label),
   * taken off the heap worst first: the heap is empty after. Labels are
   * unique, so the order is total and the same as sorting them gives;
   * Array.prototype.sort with a comparator cost a search on a small KB more
   * than its scan.
   */
  sorted(): { similarity: number; label: number }[] {
    const { sims, labels } = this;
    const out: { similarity: number; label: number }[] = new Array(this.size);
    while (this.size > 0) {
      const last = --this.size;
      out[last] = { similarity: sims[0]!, label: labels[0]! };
      // The last leaf goes to the root and sinks below every worse pair, on a heap of `last`.
      this.sink(sims[last]!, labels[last]!, last);
    }
    return out;
  }
}

/** Is (s1, l1) worse than (s2, l2): a lower similarity, or an equal one with a later label? */
function worse(s1: number, l1: number, s2: number, l2: number): boolean {
  return s1 < s2 || (s1 === s2 && l1 > l2);
}
