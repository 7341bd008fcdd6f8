import { newStemmer } from 'snowball-stemmers';
import { eng, spa } from 'stopword';
import type { Lang } from '../contracts/api.ts';

/**
 * Text analysis shared by indexing and querying, so both sides agree on what a
 * "term" is: lower-case, accents folded (contraseña ≈ contrasena, so users who
 * type without accents still match), split on non-letters, stemmed per language.
 */

export const SUPPORTED_LANGS: readonly Lang[] = ['es', 'en'];

/** Text in ASCII only: see `fold` and `words`. */
const ASCII = /^[\x00-\x7f]*$/;

const stemmers = { es: newStemmer('spanish'), en: newStemmer('english') } as const;

// Spanish stopword list from `stopword` is short; extend it with the function
// words that dominate short help-desk questions and carry no topic.
const STOP: Record<Lang, Set<string>> = {
  en: new Set(
    [
      ...eng,
      'can',
      'could',
      'would',
      'should',
      'will',
      'please',
      'hi',
      'hello',
      'thanks',
      'im',
      'ive',
      'dont',
      'cant',
      'didnt',
      'doesnt',
      'want',
      'need',
      'get',
      'got',
      'know',
      'tell',
      'help',
      'way',
      'able',
      'still',
      'yet',
      'also',
      'much',
      'many',
      'one',
      'just',
    ].map(fold),
  ),
  es: new Set(
    [
      ...spa,
      'como',
      'que',
      'cual',
      'cuales',
      'donde',
      'cuando',
      'quien',
      'puedo',
      'puede',
      'hay',
      'tengo',
      'tiene',
      'quiero',
      'necesito',
      'hacer',
      'hola',
      'gracias',
      'favor',
      'mi',
      'mis',
      'me',
      'te',
      'se',
      'lo',
      'la',
      'le',
      'les',
      'los',
      'las',
      'un',
      'una',
      'unos',
      'unas',
      'el',
      'del',
      'al',
      'es',
      'son',
      'esta',
      'estoy',
      'ya',
      'no',
      'si',
      'pero',
      'por',
      'para',
      'con',
      'sin',
      'sobre',
      'mas',
      'muy',
      'tu',
      'su',
      'sus',
      'yo',
      'algo',
      'nada',
    ].map(fold),
  ),
};

/** Lower-case and strip diacritics (ñ folds to n: users often type "contrasena"). */
export function fold(text: string): string {
  // ASCII is its own NFKD and holds no marks: most English text, and most Spanish text once folded, skips both passes.
  if (ASCII.test(text)) return text.toLowerCase();
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
}

/** Words of a text, folded, in order (letters and digits; everything else splits). */
export function words(text: string): string[] {
  const folded = fold(text);
  // In lower-case ASCII the letters and digits are a–z and 0–9: the same words without Unicode's tables.
  return (ASCII.test(folded) ? folded.match(/[a-z0-9]+/g) : folded.match(/[\p{L}\p{N}]+/gu)) ?? [];
}

export function isStopword(word: string, lang: Lang): boolean {
  return STOP[lang].has(word);
}

/** Stem one folded word. Snowball's Spanish stemmer expects accents, but folded input stems consistently on both sides. */
export function stem(word: string, lang: Lang): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  return stemmers[lang].stem(word);
}

/** The index/query terms of a text: folded, stopwords removed, stemmed. */
export function terms(text: string, lang: Lang): string[] {
  const out: string[] = [];
  for (const w of words(text)) {
    if (STOP[lang].has(w)) continue;
    out.push(stem(w, lang));
  }
  return out;
}

const ES_HINT = /[ñ¿¡áéíóú]/i;

/**
 * Guess Spanish or English from stopwords and Spanish-only characters.
 * Returns null when the text gives no evidence (a lone product name, say),
 * so the caller can fall back to the conversation's or the site's language.
 */
export function detectLang(text: string): Lang | null {
  let es = ES_HINT.test(text) ? 2 : 0;
  let en = 0;
  for (const w of words(text)) {
    if (STOP.es.has(w) && !STOP.en.has(w)) es++;
    if (STOP.en.has(w) && !STOP.es.has(w)) en++;
  }
  if (es === en) return null;
  return es > en ? 'es' : 'en';
}

const ES_LETTERS = /[ñáéíóúü]/i;
const ES_MARKS = /[¿¡]/;

/**
 * The language one word shows by itself, whatever the KB: a word spelt with
 * Spanish letters ("contraseña", "olvidé"), or a stopword of one language
 * only ("mi", "my"). Null for anything else ("vpn", "wifi", "ok", "a").
 */
export function wordLang(word: string): Lang | null {
  if (ES_LETTERS.test(word)) return 'es';
  const w = fold(word);
  const es = STOP.es.has(w);
  const en = STOP.en.has(w);
  return es === en ? null : es ? 'es' : 'en';
}

/** Whether a text uses Spanish's opening question or exclamation marks. */
export function hasSpanishMarks(text: string): boolean {
  return ES_MARKS.test(text);
}

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (SUPPORTED_LANGS as readonly string[]).includes(value);
}
