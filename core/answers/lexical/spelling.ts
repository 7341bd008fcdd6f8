/**
 * Spelling correction against the KB's own words: a question word the KB
 * never uses ("verfiy", "delivary") is matched to the most frequent KB word
 * one edit away (insert, delete, substitute or swap two neighbours). Real
 * users type fast on phones; character grams catch much of it, this catches
 * the word itself. Lookups go through a table of one-letter deletions
 * (symmetric delete), so a question costs a few dozen reads.
 *
 * The table is flat: each KB word and each of its deletions is hashed to a
 * bucket, and a bucket lists word numbers. A bucket may also hold words of
 * another key with the same hash; every candidate is checked to be one edit
 * away, so they change nothing. Keyed by strings, with a list per key, the
 * table took about 100 bytes per key: tens of megabytes on a large KB.
 */
export class Speller {
  private readonly words: string[];
  private readonly starts: Int32Array;
  private readonly entries: Int32Array;
  private readonly mask: number;

  constructor(
    private readonly frequency: ReadonlyMap<string, number>,
    /** The table as `parts` saved it (from this same `frequency`): not hashed again. */
    table?: Pick<SpellerParts, 'starts' | 'entries'>,
  ) {
    this.words = [...frequency.keys()].filter((w) => w.length >= MIN_LENGTH - 1);
    let keys = 0;
    for (const w of this.words) keys += w.length + 1;
    if (table) {
      if (table.entries.length !== keys || (table.starts.length - 1) & (table.starts.length - 2))
        throw new Error('spelling table disagrees with its words');
      this.mask = table.starts.length - 2;
      this.starts = table.starts;
      this.entries = table.entries;
      return;
    }
    let buckets = 1;
    while (buckets < keys) buckets *= 2;
    this.mask = buckets - 1;
    const starts = new Int32Array(buckets + 1);
    this.words.forEach((w) => forEachKey(w, (h) => starts[(h & this.mask) + 1]!++));
    for (let b = 0; b < buckets; b++) starts[b + 1]! += starts[b]!;
    const fill = starts.slice(0, buckets);
    const entries = new Int32Array(keys);
    this.words.forEach((w, i) => forEachKey(w, (h) => (entries[fill[h & this.mask]!++] = i)));
    this.starts = starts;
    this.entries = entries;
  }

  /** The speller as its word list, their counts and its table, for the index snapshot. */
  parts(): SpellerParts {
    return {
      words: [...this.frequency.keys()],
      counts: Int32Array.from(this.frequency.values()),
      starts: this.starts,
      entries: this.entries,
    };
  }

  static restore(parts: SpellerParts): Speller {
    if (parts.words.length !== parts.counts.length) throw new Error('spelling words and counts disagree');
    return new Speller(new Map(parts.words.map((w, i) => [w, parts.counts[i]!])), parts);
  }

  /**
   * KB words a question writes apart or together ("time zone" for the KB's
   * timezone, "payday" for its "pay day"). `known` says whether the KB uses a
   * word (in any form: the caller compares stems). A word is split only
   * when the KB does not know it, into the first two known parts found.
   * `splits` remembers each word's split for this one `known` (its owner
   * keeps one per language): trying every cut of a word the KB does not
   * know is most of the cost, and questions repeat their words.
   */
  compounds(ws: readonly string[], known: (word: string) => boolean, splits?: Map<string, string[]>): string[] {
    const out: string[] = [];
    for (let i = 0; i + 1 < ws.length; i++) {
      const joined = ws[i]! + ws[i + 1]!;
      if (joined.length >= MIN_LENGTH + 2 && known(joined)) out.push(joined);
    }
    for (const w of ws) {
      if (w.length < 2 * MIN_PART) continue;
      let parts = splits?.get(w);
      if (!parts) {
        parts = split(w, known);
        if (splits) {
          if (splits.size >= MAX_REMEMBERED) splits.clear();
          splits.set(w, parts);
        }
      }
      out.push(...parts);
    }
    return out;
  }

  /**
   * Corrections looked up in the table so far: a question reads each of its
   * words twice (its own correction, then whether it needs neighbours), and
   * users repeat the same misspellings. A pure function of this speller's
   * words, which never change (a new snapshot or a watch-mode full build
   * makes a new speller); bounded like the neighbours' cache.
   */
  private readonly corrections = new Map<string, string | null>();

  /** The KB word one edit from `word`, or null when `word` is known, too short, or has no such neighbour. */
  correct(word: string): string | null {
    if (word.length < MIN_LENGTH || this.frequency.has(word) || /\d/.test(word)) return null;
    const remembered = this.corrections.get(word);
    if (remembered !== undefined) return remembered;
    const found = this.nearest(word);
    if (this.corrections.size >= MAX_REMEMBERED) this.corrections.clear();
    this.corrections.set(word, found);
    return found;
  }

  /** `correct` without the memo: the most frequent KB word one edit away (ties: the first in code-unit order). */
  private nearest(word: string): string | null {
    let best: string | null = null;
    const consider = (h: number) => {
      const b = h & this.mask;
      for (let p = this.starts[b]!; p < this.starts[b + 1]!; p++) {
        const candidate = this.words[this.entries[p]!]!;
        if (candidate === best || !oneEditApart(word, candidate)) continue;
        if (
          !best ||
          this.frequency.get(candidate)! > this.frequency.get(best)! ||
          (this.frequency.get(candidate) === this.frequency.get(best) && candidate < best)
        )
          best = candidate;
      }
    };
    forEachKey(word, consider);
    return best;
  }
}

/** The KB's words and how often each occurs, with the table of their deletions (see `Speller`). */
export interface SpellerParts {
  words: string[];
  counts: Int32Array;
  starts: Int32Array;
  entries: Int32Array;
}

/** The first two known parts of a word the KB does not know, or none. */
function split(w: string, known: (word: string) => boolean): string[] {
  if (/\d/.test(w) || known(w)) return [];
  for (let k = MIN_PART; k + MIN_PART <= w.length; k++)
    if (known(w.slice(0, k)) && known(w.slice(k))) return [w.slice(0, k), w.slice(k)];
  return [];
}

/** Shorter words have too many neighbours one edit away to guess. */
const MIN_LENGTH = 4;
/** Corrections remembered per speller (about 100 bytes each). */
const MAX_REMEMBERED = 50_000;
/** Parts of a split compound: shorter ones ("a", "to") would split almost any word. */
const MIN_PART = 3;

/** The hash of `w` and of each of its one-letter deletions (FNV-1a over the remaining characters, no strings built). */
function forEachKey(w: string, visit: (hash: number) => void): void {
  for (let skip = -1; skip < w.length; skip++) {
    let h = 0x811c9dc5;
    for (let i = 0; i < w.length; i++) if (i !== skip) h = Math.imul(h ^ w.charCodeAt(i), 0x01000193);
    visit(h >>> 0);
  }
}

/** Damerau–Levenshtein distance of exactly 1 (adjacent transposition counts as one edit). */
export function oneEditApart(a: string, b: string): boolean {
  if (a === b || Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true; // substitution
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2); // swap
  }
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}
