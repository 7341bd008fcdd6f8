/**
 * Spelling correction against the KB's own words: a question word the KB
 * never uses ("verfiy", "delivary") is matched to the most frequent KB word
 * one edit away (insert, delete, substitute or swap two neighbours). Real
 * users type fast on phones; character grams catch much of it, this catches
 * the word itself. Lookups go through a table of one-letter deletions
 * (symmetric delete), so a question costs a few dozen map reads.
 */
export class Speller {
  private readonly byDeletion = new Map<string, string[]>();

  constructor(private readonly frequency: ReadonlyMap<string, number>) {
    for (const w of frequency.keys()) {
      if (w.length < MIN_LENGTH - 1) continue;
      for (const key of [w, ...deletions(w)]) {
        const list = this.byDeletion.get(key);
        if (list) list.push(w);
        else this.byDeletion.set(key, [w]);
      }
    }
  }

  /**
   * KB words a question writes apart or together ("time zone" for the KB's
   * timezone, "payday" for its "pay day"). `known` says whether the KB uses a
   * word (in any form: the caller compares stems). A word is split only
   * when the KB does not know it, into the first two known parts found.
   */
  compounds(ws: readonly string[], known: (word: string) => boolean): string[] {
    const out: string[] = [];
    for (let i = 0; i + 1 < ws.length; i++) {
      const joined = ws[i]! + ws[i + 1]!;
      if (joined.length >= MIN_LENGTH + 2 && known(joined)) out.push(joined);
    }
    for (const w of ws) {
      if (w.length < 2 * MIN_PART || /\d/.test(w) || known(w)) continue;
      for (let k = MIN_PART; k + MIN_PART <= w.length; k++) {
        if (known(w.slice(0, k)) && known(w.slice(k))) {
          out.push(w.slice(0, k), w.slice(k));
          break;
        }
      }
    }
    return out;
  }

  /** The KB word one edit from `word`, or null when `word` is known, too short, or has no such neighbour. */
  correct(word: string): string | null {
    if (word.length < MIN_LENGTH || this.frequency.has(word) || /\d/.test(word)) return null;
    let best: string | null = null;
    for (const key of [word, ...deletions(word)]) {
      for (const candidate of this.byDeletion.get(key) ?? []) {
        if (candidate === best || !oneEditApart(word, candidate)) continue;
        if (
          !best ||
          this.frequency.get(candidate)! > this.frequency.get(best)! ||
          (this.frequency.get(candidate) === this.frequency.get(best) && candidate < best)
        )
          best = candidate;
      }
    }
    return best;
  }
}

/** Shorter words have too many neighbours one edit away to guess. */
const MIN_LENGTH = 4;
/** Parts of a split compound: shorter ones ("a", "to") would split almost any word. */
const MIN_PART = 3;

function deletions(w: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < w.length; i++) out.push(w.slice(0, i) + w.slice(i + 1));
  return out;
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
