import type { Lang } from '../../contracts/api.ts';
import { words } from '../../text/analyze.ts';
import { cachedStem } from '../../text/cachedTerms.ts';

/**
 * The sparse features the lexical model compares, as 32-bit codes: every
 * word's stem (function words included: "why", "not", "how" tell intents
 * apart, and idf fitted on the KB already discounts them) plus character 3-
 * to 5-grams of each word, which match typos and word forms the stemmer
 * misses ("verfiy", "refunded"). The two low bits of a code are its kind;
 * the rest is a hash (no strings are built per gram: indexing stays fast).
 */
export const KIND = { word: 0, char3: 1, char4: 2, char5: 3 } as const;

export function featureCodes(text: string, lang: Lang): number[] {
  return featureCodesOf(words(text), lang, []);
}

/**
 * `featureCodes` of words already split (`words(text)`), appended to `out`:
 * a question's reader splits its text once for all its stages, and reuses
 * one array for the codes of every question.
 */
export function featureCodesOf(ws: readonly string[], lang: Lang, out: number[]): number[] {
  for (const w of ws) wordFeatureCodes(w, lang, out);
  return out;
}

/** A word's codes (its stem's, then its grams'), appended to `out`: `featureCodes` of a text is its words' in turn. */
export function wordFeatureCodes(w: string, lang: Lang, out: number[]): void {
  out.push(withKind(hashString(cachedStem(w, lang), 0x9e3779b9), KIND.word));
  const padded = ` ${w} `;
  for (let i = 0; i + 3 <= padded.length; i++) {
    let h = 0x811c9dc5;
    for (let j = i; j < i + 5 && j < padded.length; j++) {
      h = Math.imul(h ^ padded.charCodeAt(j), 0x01000193);
      const n = j - i + 1;
      if (n >= 3) out.push(withKind(h, n - 2));
    }
  }
}

/** The code of a (folded) word: the code of its stem. */
export function wordCode(word: string, lang: Lang): number {
  return stemCode(cachedStem(word, lang));
}

/** The code of a word's stem (synonyms from `_synonyms.yml` arrive as stems). */
export function stemCode(stemmed: string): number {
  return withKind(hashString(stemmed, 0x9e3779b9), KIND.word);
}

export function kindOf(code: number): number {
  return code & 3;
}

/** Character grams count half a word: many grams per word, each weak evidence. */
export const CHAR_WEIGHT = 0.5;
/** Synonyms from the KB's `_synonyms.yml` count half the word they stand for. */
export const SYNONYM_WEIGHT = 0.5;
/** A misspelt word's correction counts as the word (0.7 measured slightly worse on the HINT3 sets). */
export const SPELLING_WEIGHT = 1;

export function featureWeight(code: number): number {
  return kindOf(code) === KIND.word ? 1 : CHAR_WEIGHT;
}

function withKind(hash: number, kind: number): number {
  return ((hash & ~3) | kind) >>> 0;
}

function hashString(s: string, seed: number): number {
  let h = seed ^ 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h;
}
