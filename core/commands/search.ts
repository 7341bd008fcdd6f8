import type { SearchResponse } from '../contracts/api.ts';
import { chooseLanguage, languageTag } from '../answers/language/chooseLanguage.ts';
import { markdownToText } from '../articles/markdown.ts';
import type { CoreServices } from '../services.ts';
import { round } from '../conversations/presentArticle.ts';
import { PUBLIC, visibleFilter } from '../articles/visibility.ts';

/**
 * The widget's search-as-you-type: published public articles by title and
 * questions, prefix-aware, in the question's language when the page names one.
 */
export async function search(
  core: Pick<CoreServices, 'index' | 'defaultLang'>,
  input: { q: string; lang?: string; tags?: string[]; limit: number },
): Promise<SearchResponse> {
  const index = core.index.get();
  const lang = chooseLanguage(
    { text: input.q, requested: input.lang },
    { articles: index.articles, defaultLang: core.defaultLang },
  );
  const filter = { ...visibleFilter(PUBLIC), tags: input.tags };
  // Suggestions keep to one language only when the page says one (else both).
  let hits = await index.fullText.suggest(input.q, {
    filter,
    limit: input.limit,
    ...(languageTag(input.lang) ? { lang } : {}),
  });
  if (!hits.length) hits = await index.fullText.search(input.q, { lang, filter, limit: input.limit });
  const top = hits[0]?.score || 1;
  return {
    hits: hits.flatMap((h) => {
      const a = index.articles.get(h.id);
      if (!a) return [];
      return [
        {
          articleId: a.id,
          title: a.title,
          snippet: markdownToText(a.answer).slice(0, 160),
          score: round(h.score / top),
          tags: a.tags,
          lang: a.lang,
        },
      ];
    }),
  };
}
