import type { CoverageEstimate } from '../contracts/reports.ts';
import { servedCoverage } from '../indexing/indexedSelfService.ts';
import type { ArticlesReport } from '../reports/articles.ts';
import type { DeflectionReport } from '../reports/deflection.ts';
import type { GapsReport } from '../reports/gaps.ts';
import type { PeriodInput } from '../reports/period.ts';
import type { CoreServices } from '../services.ts';

const WEEKLY_AFTER_DAYS = 62;
const GAPS_SHOWN = 20;
const WEAKEST_SHOWN = 10;

export interface DashboardReports {
  byDay: DeflectionReport;
  /** By day, or by week when the period is longer than two months. */
  trend: DeflectionReport;
  unit: 'day' | 'week';
  byTag: DeflectionReport;
  byLang: DeflectionReport;
  articles: ArticlesReport;
  gaps: GapsReport;
  /** Articles that would gain most from listed questions, from the served index's calibration. */
  weakest: { articleId: string; title: string }[];
  /** The served index's estimated self-service coverage; null when it was built before the estimate existed. */
  coverage: CoverageEstimate | null;
}

/** Every report the leads' dashboard shows for a period, from one pass over the events. */
export async function readDashboard(
  core: Pick<CoreServices, 'reports' | 'index'>,
  input: PeriodInput,
): Promise<DashboardReports> {
  const { reports } = core;
  const byDay = await reports.deflection(input, 'day');
  const long = (Date.parse(byDay.to) - Date.parse(byDay.from)) / 86_400_000 > WEEKLY_AFTER_DAYS;
  const trend = long ? await reports.deflection(input, 'week') : byDay;
  const [byTag, byLang, articles, gaps] = await Promise.all([
    reports.deflection(input, 'tag'),
    reports.deflection(input, 'lang'),
    reports.articles(input),
    reports.gaps(input, { limit: GAPS_SHOWN }),
  ]);
  const weakest = weakestArticles(core);
  const coverage = servedCoverage(core.index.get().manifest);
  return { byDay, trend, unit: long ? 'week' : 'day', byTag, byLang, articles, gaps, weakest, coverage };
}

/** The calibration's weakest articles still published in the served index, with their titles. */
function weakestArticles(core: Pick<CoreServices, 'index'>): DashboardReports['weakest'] {
  const index = core.index.get();
  return (index.manifest.calibration.selfService?.weakest ?? [])
    .map((id) => index.articles.get(id))
    .filter((a) => a?.status === 'published')
    .slice(0, WEAKEST_SHOWN)
    .map((a) => ({ articleId: a!.id, title: a!.title }));
}
