import type { VectorItem } from './ports.ts';

type ItemFilter = (item: VectorItem) => boolean;

/**
 * A vector index's filters' verdicts, by label (0 not asked yet, 1 accepted,
 * 2 refused). A search may ask its filter of hundreds of vectors; retrieval
 * passes the same function for the same audience from request to request
 * (see retrieve.ts), so from a filter's second search on each vector is asked
 * once and then answered from one byte. A filter made for a single search
 * (calibration's leave-one-out) costs no array.
 */
export class FilterVerdicts {
  private readonly known = new WeakMap<ItemFilter, Uint8Array | null>();

  /** Has `filter` searched before (its verdicts are, or are about to be, remembered)? */
  seen(filter: ItemFilter): boolean {
    return this.known.has(filter);
  }

  /** `filter` as asked of the label of an item of `items`; labels from `rows` on (added since) are asked each time. */
  acceptor(filter: ItemFilter, items: readonly VectorItem[], rows: number): (label: number) => boolean {
    const seen = this.known.get(filter);
    if (seen === undefined) {
      this.known.set(filter, null);
      return (label) => filter(items[label]!);
    }
    const verdicts = seen ?? new Uint8Array(rows);
    if (!seen) this.known.set(filter, verdicts);
    return (label) => {
      if (label >= verdicts.length) return filter(items[label]!);
      const v = verdicts[label]!;
      if (v !== 0) return v === 1;
      const ok = filter(items[label]!);
      verdicts[label] = ok ? 1 : 2;
      return ok;
    };
  }
}
