import type { Article } from '../../articles/types.ts';
import type { Lang } from '../../contracts/api.ts';

/** What the lexical model reads of one article. */
export interface TermDoc {
  id: string;
  lang: Lang;
  title: string;
  questions: string[];
  /** Body sections (heading and text). */
  passages: string[];
}

/** One phrasing or passage of an article: what a question is compared with. */
export interface TermUnit {
  article: number;
  kind: 'title' | 'question' | 'passage';
  text: string;
  /** Counted in nearest-neighbour and centroid scores (passages only when the article lists few questions). */
  matched: boolean;
}

/** Articles listing fewer questions than this are also matched through their body passages. */
export const MIN_QUESTIONS = 3;

/** An article's title and questions, and its passages (matched only when it lists fewer than MIN_QUESTIONS questions). */
export function unitsOf(docs: TermDoc[]): TermUnit[] {
  return docs.flatMap((d, article): TermUnit[] => {
    const unit = (kind: TermUnit['kind'], text: string, matched = true): TermUnit => ({ article, kind, text, matched });
    const matchPassages = d.questions.length < MIN_QUESTIONS;
    return [
      unit('title', d.title),
      ...d.questions.map((q) => unit('question', q)),
      ...d.passages.filter((p) => p.trim()).map((p) => unit('passage', p, matchPassages)),
    ];
  });
}

/** Each unit's article and matched flag as flat arrays: `score` reads them for every unit of the KB per question. */
export function unitFlags(units: readonly TermUnit[]): { article: Int32Array; matched: Uint8Array } {
  return {
    article: Int32Array.from(units, (u) => u.article),
    matched: Uint8Array.from(units, (u) => (u.matched ? 1 : 0)),
  };
}

/** What the lexical model reads of an article: title, questions and body sections. */
export function termDocOf(a: Article): TermDoc {
  return {
    id: a.id,
    lang: a.lang,
    title: a.title,
    questions: a.questions,
    passages: a.chunks.map((c) => [c.heading, c.text].filter(Boolean).join('\n')),
  };
}
