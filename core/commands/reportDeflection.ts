import type { DeflectionReport, GroupBy } from '../reports/deflection.ts';
import type { PeriodInput } from '../reports/period.ts';
import type { CoreServices } from '../services.ts';

/** How many questions were deflected in a period, grouped by day, week, tag, category, article, language or channel. */
export function reportDeflection(
  core: Pick<CoreServices, 'reports'>,
  input: PeriodInput & { groupBy: GroupBy },
): Promise<DeflectionReport> {
  const { groupBy, ...period } = input;
  return core.reports.deflection(period, groupBy);
}
