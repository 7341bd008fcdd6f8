import { csatFromCounts, csatQuery, type CsatGroupBy, type CsatReport } from '../reports/csat.ts';
import { periodOf, type PeriodInput } from '../reports/period.ts';
import { ScannedCsat } from '../reports/scannedCsat.ts';
import type { CoreServices } from '../services.ts';

/**
 * Satisfaction in a period (GET /api/reports/csat): ticket ratings and the
 * bot's "did this help?" apart, grouped by category, article, agent or
 * channel. Counted where the data is — in SQL with DATABASE_URL
 * (reportFigures), else by a scan of the embedded stores — with the same
 * definitions, so both give the same figures.
 */
export async function reportCsat(
  core: Pick<CoreServices, 'tickets' | 'events' | 'index' | 'reportFigures'>,
  input: Omit<PeriodInput, 'windowDays'> & { groupBy: CsatGroupBy; now?: number },
): Promise<CsatReport> {
  const period = periodOf(input, { windowDays: 0, now: input.now ?? Date.now() });
  const query = csatQuery(period, input.groupBy, core.index.get().articles);
  const figures = core.reportFigures ?? new ScannedCsat(core);
  return csatFromCounts(query, await figures.csat(query));
}
