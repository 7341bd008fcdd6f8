import { Router } from 'express';
import type { ArticleResponse } from '../../core/contracts/api.ts';
import type { CoreServices } from '../../core/services.ts';
import { renderMarkdown } from '../../core/articles/markdown.ts';
import { readArticle } from '../../core/commands/readArticle.ts';
import { articlePage } from '../presenters/articlePage.ts';

/** Published public articles, as JSON for clients and as a page for people. */
export function articleRoutes(core: CoreServices): Router {
  const router = Router();
  router.get('/api/articles/:id', (req, res) => {
    const { article: a, translations, updatedAt } = readArticle(core, { id: String(req.params.id) });
    const body: ArticleResponse = {
      id: a.id,
      title: a.title,
      lang: a.lang,
      tags: a.tags,
      category: a.category,
      html: renderMarkdown(a.body),
      answer: a.answer,
      answerHtml: renderMarkdown(a.answer),
      translations,
      updatedAt,
    };
    res.json(body);
  });
  router.get('/articles/:id', (req, res) => {
    const { article, translations } = readArticle(core, { id: String(req.params.id) });
    const readable = new Set(Object.values(translations));
    res.type('html').send(articlePage(article, (id) => readable.has(id)));
  });
  return router;
}
