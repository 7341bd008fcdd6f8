import { periodOf, type PeriodInput } from '../reports/period.ts';
import { memoisedColumns } from '../reports/ticketFacts.ts';
import { ticketReport, type TicketGroupBy, type TicketReport } from '../reports/tickets.ts';
import type { CoreServices } from '../services.ts';

/**
 * The tickets report of a period (GET /api/reports/tickets): volume,
 * backlog by age, first response and resolution times, SLA compliance,
 * reopens, first-contact resolution and CSAT, per day, week or triage field.
 * The facts come from the store's own source when it keeps them
 * (PostgreSQL's ticket_facts, only the tickets the period can count), else
 * from every ticket in memory; business hours follow the SLA calendar the
 * served snapshot was published with.
 */
export async function reportTickets(
  core: Pick<CoreServices, 'tickets' | 'index'>,
  input: Omit<PeriodInput, 'windowDays'> & { groupBy: TicketGroupBy; now?: number },
): Promise<TicketReport> {
  const now = input.now ?? Date.now();
  const period = periodOf(input, { windowDays: 0, now });
  const facts = core.tickets.reportFacts
    ? await core.tickets.reportFacts(period.from, period.to)
    : memoisedColumns(await core.tickets.all());
  return ticketReport(facts, period, input.groupBy, core.index.get().manifest.sla, now);
}
