import type { Article } from '../../core/articles/types.ts';
import { renderMarkdown } from '../../core/articles/markdown.ts';
import { articlePath } from '../../core/conversations/presentArticle.ts';
import { escapeHtml } from './html.ts';

const LABELS = { es: { other: 'Also in English', back: 'Volver' }, en: { other: 'También en español', back: 'Back' } };

/**
 * The full article as a page (the link target of answer cards). Article HTML comes from markdown-it with raw HTML off.
 * `hasPage` says which translations have a page of their own (an internal or draft one would be a dead link).
 */
export function articlePage(a: Article, hasPage: (id: string) => boolean): string {
  const other = Object.entries(a.translations).find(([, id]) => id && hasPage(id));
  const l = LABELS[a.lang];
  return `<!doctype html>
<html lang="${a.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(a.title)}</title>
<link rel="stylesheet" href="/assets/article.css">
</head>
<body>
<main class="article">
<p class="meta">${a.category ? `${escapeHtml(a.category)} · ` : ''}${a.tags.map((t) => `<span class="tag">${escapeHtml(t)}</span>`).join(' ')}</p>
${renderMarkdown(a.body.trim().startsWith('# ') ? a.body : `# ${a.title}\n\n${a.body}`)}
${other ? `<p class="translation"><a href="${escapeHtml(articlePath(other[1]!))}" hreflang="${escapeHtml(other[0])}">${l.other}</a></p>` : ''}
</main>
</body>
</html>`;
}
