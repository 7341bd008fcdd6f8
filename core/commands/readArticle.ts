import type { Article } from '../articles/types.ts';
import { isVisible, PUBLIC } from '../articles/visibility.ts';
import { NotFoundError } from '../errors.ts';
import type { CoreServices } from '../services.ts';

export interface ReadableArticle {
  article: Article;
  /** Its translations the public may read, by language: an internal one's id would leak, and its link would 404. */
  translations: Record<string, string>;
  /** When the index serving it was built. */
  updatedAt: string;
}

/** An article the public may read (its JSON and its page). Drafts and internal articles do not exist for the public: 404, not 403, so ids do not leak. */
export function readArticle(core: Pick<CoreServices, 'index'>, input: { id: string }): ReadableArticle {
  const index = core.index.get();
  const article = index.articles.get(input.id);
  if (!isVisible(article, PUBLIC)) throw new NotFoundError('article', input.id);
  const translations = Object.fromEntries(
    Object.entries(article.translations).filter(([, id]) => id && isVisible(index.articles.get(id), PUBLIC)),
  ) as Record<string, string>;
  return { article, translations, updatedAt: index.manifest.createdAt };
}
