import type { Lang } from '../contracts/api.ts';
import { isStopword, stem, words } from './analyze.ts';

/**
 * The same terms as analyze.ts `terms()`, with each word stemmed once per
 * process: help-desk text repeats the same few thousand words, and Snowball
 * stemming was most of the time the embedder and the full-text index spent.
 */
export function cachedTerms(text: string, lang: Lang): string[] {
  const out: string[] = [];
  for (const w of words(text)) {
    if (isStopword(w, lang)) continue;
    out.push(cachedStem(w, lang));
  }
  return out;
}

const stems = { es: new Map<string, string>(), en: new Map<string, string>() };
/** Bounds the cache on a KB with an unusual vocabulary. */
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
