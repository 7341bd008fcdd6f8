import type { DeflectEvent } from '../events/types.ts';
import { csatReport, type CsatGroupBy, type CsatReport } from '../reports/csat.ts';
import { periodOf, type PeriodInput } from '../reports/period.ts';
import type { CoreServices } from '../services.ts';

/**
 * Satisfaction in a period (GET /api/reports/csat): ticket ratings and the
 * bot's "did this help?" apart, grouped by category, article, agent or
 * channel. Read through the ports, so the embedded stores and PostgreSQL
 * give the same figures.
 */
export async function reportCsat(
  core: Pick<CoreServices, 'tickets' | 'events' | 'index'>,
  input: Omit<PeriodInput, 'windowDays'> & { groupBy: CsatGroupBy; now?: number },
): Promise<CsatReport> {
  const period = periodOf(input, { windowDays: 0, now: input.now ?? Date.now() });
  const events: DeflectEvent[] = [];
  for await (const e of core.events.read(period.from, period.to))
    if (e.type === 'question' || e.type === 'feedback') events.push(e);
  const tickets = await core.tickets.all();
  return csatReport(tickets, events, period, input.groupBy, core.index.get().articles);
}
