import type { ArticlesReport } from '../reports/articles.ts';
import type { PeriodInput } from '../reports/period.ts';
import type { CoreServices } from '../services.ts';

/** How each article did in a period, and whether its content needs attention. */
export function reportArticles(core: Pick<CoreServices, 'reports'>, input: PeriodInput): Promise<ArticlesReport> {
  return core.reports.articles(input);
}
