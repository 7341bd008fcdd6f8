import type { ArticleTally, Outcomes, Period } from './outcomes.ts';

/**
 * What the articles report is asked of a store that counts itself
 * (PostgreSQL, ReportFigures.articles): the period and its window.
 */
export interface ArticleTalliesQuery {
  period: Period;
}

/** One article's tally in a period, by its id (articles no longer in the knowledge base too). */
export interface CountedArticle {
  articleId: string;
  tally: ArticleTally;
}

/**
 * The article tallies of the in-process scan (outcomes.ts), by article id:
 * displays, answers and verdicts of the period, and the distinct tickets that
 * followed a question it was displayed with. PostgreSQL counts the same in SQL
 * (core/storage/postgres/insightSql.ts).
 */
export function articleTalliesOf(o: Outcomes): CountedArticle[] {
  return [...o.articles].map(([idx, tally]) => ({ articleId: o.strings[idx]!, tally: { ...tally } }));
}
