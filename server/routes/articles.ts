import { Router } from 'express';
import type { ArticleResponse } from '../../core/contracts/api.ts';
import type { CoreServices } from '../../core/services.ts';
import { renderMarkdown } from '../../core/articles/markdown.ts';
import type { Article } from '../../core/articles/types.ts';
import { NotFoundError } from '../../core/errors.ts';
import { articlePage } from '../presenters/articlePage.ts';

/** Published public articles, as JSON for clients and as a page for people. */
export function articleRoutes(core: CoreServices): Router {
  const router = Router();
  /** The article, if the public may read it: drafts and internal articles do not exist for the public. */
  const visible = (id: string): Article | undefined => {
    const a = core.index.get().articles.get(id);
    return a && a.status === 'published' && a.audience === 'public' ? a : undefined;
  };
  const find = (id: string): Article => {
    const a = visible(id);
    // 404, not 403, so ids do not leak.
    if (!a) throw new NotFoundError('article', id);
    return a;
  };
  router.get('/api/articles/:id', (req, res) => {
    const a = find(String(req.params.id));
    const body: ArticleResponse = {
      id: a.id,
      title: a.title,
      lang: a.lang,
      tags: a.tags,
      category: a.category,
      html: renderMarkdown(a.body),
      answer: a.answer,
      answerHtml: renderMarkdown(a.answer),
      // Only translations the public may read: an internal one's id would leak, and its link would 404.
      translations: Object.fromEntries(Object.entries(a.translations).filter(([, id]) => id && visible(id))) as Record<string, string>,
      updatedAt: core.index.get().manifest.createdAt,
    };
    res.json(body);
  });
  router.get('/articles/:id', (req, res) => {
    res.type('html').send(articlePage(find(String(req.params.id)), (id) => !!visible(id)));
  });
  return router;
}
