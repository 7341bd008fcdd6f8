import { markdownToText } from '../articles/markdown.ts';
import type { Article } from '../articles/types.ts';
import type { SearchDocument } from '../search/ports.ts';

/** What the full-text index holds of an article: the build's and a rebuild's from a snapshot's articles alike. */
export function searchDocumentOf(a: Article): SearchDocument {
  return {
    id: a.id,
    lang: a.lang,
    title: a.title,
    questions: a.questions,
    headings: a.headings,
    body: a.chunks.map((c) => c.text).join('\n') || markdownToText(a.body),
    tags: a.tags,
    category: a.category,
    status: a.status,
    audience: a.audience,
  };
}
