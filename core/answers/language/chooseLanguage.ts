import type { Article } from '../../articles/types.ts';
import type { Lang } from '../../contracts/api.ts';
import { detectLang, fold, hasSpanishMarks, isLang, wordLang } from '../../text/analyze.ts';
import { kbWordLang, languageOfWords } from './kbLanguage.ts';

/** What we know about the person's language at one turn. */
export interface LanguageClues {
  /** What the person just wrote; empty when the text says nothing about them (the title of an article they picked). */
  text?: string;
  /** The language the page or channel says (the widget's `lang`, the bot's locale): a tag such as "es" or "en-GB". */
  requested?: string;
  /** The conversation's language so far. */
  conversation?: Lang;
}

/** Words that must point one way, beyond those pointing the other, before a text overrides the page or the conversation. */
export const SURE_MARGIN = 2;

/**
 * The language we answer this person in — retrieval's stemming, the
 * translation shown and the reply strings all follow it. In order:
 *
 * 1. the text's own language when it is sure: a sentence ("olvidé mi
 *    contraseña", "how do I reset my password") overrides the page;
 * 2. the conversation's language: what was spoken so far;
 * 3. the page's or channel's language;
 * 4. the text's language on weaker evidence (one stopword);
 * 5. for a text too short to tell, the language whose articles use its words;
 * 6. the site's default.
 *
 * So a short or ambiguous text ("vpn", "wifi", "ok", a product name, a code)
 * keeps the page's or the conversation's language, and a clear sentence
 * moves the conversation to its own.
 */
export function chooseLanguage(
  clues: LanguageClues,
  kb: { articles?: ReadonlyMap<string, Article>; defaultLang: Lang },
): Lang {
  const text = clues.text ?? '';
  let guessed: Lang | null | undefined;
  const guess = () =>
    guessed === undefined
      ? (guessed = detectLang(text) ?? (kb.articles ? languageOfWords(text, kb.articles) : null))
      : guessed;
  return (
    sureLanguageOf(text, kb.articles, guess) ??
    clues.conversation ??
    languageTag(clues.requested) ??
    guess() ??
    kb.defaultLang
  );
}

/** es or en from a language tag ("es", "es-ES", "en_GB"); undefined for anything else. */
export function languageTag(tag: string | undefined): Lang | undefined {
  const base = tag?.slice(0, 2).toLowerCase();
  return isLang(base) ? base : undefined;
}

/**
 * The text's language when it is sure: each distinct word votes once — by its
 * Spanish letters or as a stopword of one language, else as a word only one
 * language's articles use — and ¿ or ¡ adds a Spanish vote. Sure means a lead
 * of SURE_MARGIN votes, so a lone word, a product name or a code never is,
 * and agreement with the weaker guess (detectLang, else the KB's words), so
 * a question with no page and no conversation (the eval sets, API clients)
 * gets the language it always got.
 */
function sureLanguageOf(
  text: string,
  articles: ReadonlyMap<string, Article> | undefined,
  guess: () => Lang | null,
): Lang | null {
  const votes: Record<Lang, number> = { es: hasSpanishMarks(text) ? 1 : 0, en: 0 };
  const seen = new Set<string>();
  for (const raw of text
    .normalize('NFC')
    .toLowerCase()
    .match(/[\p{L}\p{N}]+/gu) ?? []) {
    const { folded, lang: own } = wordVote(raw);
    if (seen.has(folded)) continue;
    seen.add(folded);
    const lang = own ?? (articles ? kbWordLang(folded, articles) : null);
    if (lang) votes[lang]++;
  }
  const lang: Lang = votes.es > votes.en ? 'es' : 'en';
  const other: Lang = lang === 'es' ? 'en' : 'es';
  return votes[lang] - votes[other] >= SURE_MARGIN && guess() === lang ? lang : null;
}

/**
 * A word as `sureLanguageOf` reads it: folded, and its own vote (Spanish
 * letters, a stopword of one language), both pure functions of the word.
 * Remembered, as questions repeat their words: folding each word twice
 * (Unicode normalisation and a regular expression) was most of choosing a
 * language. Bounded like the speller's corrections.
 */
function wordVote(raw: string): { folded: string; lang: Lang | null } {
  let vote = wordVotes.get(raw);
  if (!vote) {
    if (wordVotes.size >= MAX_REMEMBERED) wordVotes.clear();
    vote = { folded: fold(raw), lang: wordLang(raw) };
    wordVotes.set(raw, vote);
  }
  return vote;
}

const wordVotes = new Map<string, { folded: string; lang: Lang | null }>();
const MAX_REMEMBERED = 50_000;
