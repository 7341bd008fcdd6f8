import type { Lang } from '../contracts/api.ts';
import { isStopword, stem, words } from './analyze.ts';

/**
 * The same terms as analyze.ts `terms()`, with each word's term (its stem,
 * or none for a stopword) worked out once per process: help-desk text
 * repeats the same few thousand words, and Snowball stemming, then the
 * stopword test beside the stem's lookup, were most of the time the
 * full-text index spent analysing (the stopword test alone ~0.9 s of CPU at
 * 100k articles). A new word is stemmed through `cachedStem`, once for the
 * embedder's and the answer engine's features too.
 */
export function cachedTerms(text: string, lang: Lang): string[] {
  const cache = termsOf[lang];
  const out: string[] = [];
  for (const w of words(text)) {
    let t = cache.get(w);
    if (t === undefined) {
      if (cache.size >= MAX_CACHED_STEMS) cache.clear();
      t = isStopword(w, lang) ? null : cachedStem(w, lang);
      cache.set(w, t);
    }
    if (t !== null) out.push(t);
  }
  return out;
}

/** A word's term: its stem, or null for a stopword. */
const termsOf = { es: new Map<string, string | null>(), en: new Map<string, string | null>() };
const stems = { es: new Map<string, string>(), en: new Map<string, string>() };
/** Bounds each cache on a KB with an unusual vocabulary. */
const MAX_CACHED_STEMS = 100_000;

/** `stem()`, remembered per process (the embedder, the full-text index and the answer engine's features all stem the same words). */
export function cachedStem(word: string, lang: Lang): string {
  const cache = stems[lang];
  let s = cache.get(word);
  if (s === undefined) {
    if (cache.size >= MAX_CACHED_STEMS) cache.clear();
    s = stem(word, lang);
    cache.set(word, s);
  }
  return s;
}
