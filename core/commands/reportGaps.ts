import type { GapsReport } from '../reports/gaps.ts';
import type { PeriodInput } from '../reports/period.ts';
import type { CoreServices } from '../services.ts';

/** The questions the knowledge base did not settle in a period, in clusters, biggest first. */
export function reportGaps(
  core: Pick<CoreServices, 'reports'>,
  input: PeriodInput & { limit: number },
): Promise<GapsReport> {
  const { limit, ...period } = input;
  return core.reports.gaps(period, { limit });
}
