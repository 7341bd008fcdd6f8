import type { SearchResponse } from '../contracts/api.ts';
import { searchArticles } from '../answers/searchArticles.ts';
import type { CoreServices } from '../services.ts';

/** The widget's search-as-you-type over the public articles (core/answers/searchArticles.ts does the searching). */
export function search(
  core: Pick<CoreServices, 'index' | 'defaultLang'>,
  input: { q: string; lang?: string; tags?: string[]; limit: number },
): Promise<SearchResponse> {
  return searchArticles(core, input);
}
