import type { Article } from '../../articles/types.ts';
import type { Lang } from '../../contracts/api.ts';
import { words } from '../../text/analyze.ts';

type Vocabulary = Map<string, Set<Lang>>;

/** One vocabulary per loaded article set, built on first use: most questions say their language themselves. */
const vocabularies = new WeakMap<ReadonlyMap<string, Article>, Vocabulary>();

/**
 * The language of a question too short to detect ("impresora atascada",
 * "factura"): the language whose articles use more of its words. Words that
 * both languages use ("vpn", "wifi") say nothing, and a tie gives null, so
 * the caller falls back to the site's language.
 */
export function languageOfWords(question: string, articles: ReadonlyMap<string, Article>): Lang | null {
  const votes = new Map<Lang, number>();
  for (const w of new Set(words(question))) {
    const lang = kbWordLang(w, articles);
    if (lang) votes.set(lang, (votes.get(lang) ?? 0) + 1);
  }
  const ranked = [...votes].sort((a, b) => b[1] - a[1]);
  return ranked[0] && ranked[0][1] > (ranked[1]?.[1] ?? 0) ? ranked[0][0] : null;
}

/** The one language whose articles use this folded word; null when both do, or none. */
export function kbWordLang(word: string, articles: ReadonlyMap<string, Article>): Lang | null {
  let vocabulary = vocabularies.get(articles);
  if (!vocabulary) vocabularies.set(articles, (vocabulary = vocabularyOf(articles)));
  const langs = vocabulary.get(word);
  return langs?.size === 1 ? langs.values().next().value! : null;
}

function vocabularyOf(articles: ReadonlyMap<string, Article>): Vocabulary {
  const vocabulary: Vocabulary = new Map();
  for (const a of articles.values()) {
    for (const w of words([a.title, ...a.questions, a.answer].join('\n'))) {
      const langs = vocabulary.get(w);
      if (langs) langs.add(a.lang);
      else vocabulary.set(w, new Set([a.lang]));
    }
  }
  return vocabulary;
}
