import type { AnswerCard, Suggestion } from '../contracts/api.ts';
import type { Article } from '../articles/types.ts';
import { markdownToText, renderMarkdown } from '../articles/markdown.ts';
import { isVisible, PUBLIC } from '../articles/visibility.ts';

/** Path of an article's page on the server. */
export function articlePath(id: string): string {
  return `/articles/${encodeURIComponent(id)}`;
}

export function answerCard(article: Article, confidence: number): AnswerCard {
  const { text, html } = renderedAnswer(article);
  return {
    articleId: article.id,
    title: article.title,
    text,
    html,
    // Internal articles are served to no browser (a link would show a 404): the answer stands alone.
    url: isVisible(article, PUBLIC) ? articlePath(article.id) : null,
    confidence: round(confidence),
    lang: article.lang,
  };
}

/**
 * An article's answer as text and HTML, rendered once per loaded article: rendering the Markdown on
 * every reply cost more than the rest of presenting it. Articles are not changed once loaded (a new
 * snapshot brings new objects), so the cache follows the snapshot and goes with it.
 */
const rendered = new WeakMap<Article, { text: string; html: string }>();

function renderedAnswer(article: Article): { text: string; html: string } {
  let out = rendered.get(article);
  if (!out)
    rendered.set(article, (out = { text: markdownToText(article.answer), html: renderMarkdown(article.answer) }));
  return out;
}

export function suggestion(article: Article, score: number): Suggestion {
  return { articleId: article.id, title: article.title, score: round(score), lang: article.lang };
}

export function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
