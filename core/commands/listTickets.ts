import { rangeEnd } from '../reports/period.ts';
import type { CoreServices } from '../services.ts';
import { withSla, type TicketWithSla } from '../sla/ticketSla.ts';
import type { TicketPage, TicketQuery } from '../storage/ports.ts';
import { queueOrder } from '../triage/queueOrder.ts';
import { NO_ROUTING } from '../triage/routingRules.ts';

/** A queue is read whole to be ordered by due time, which is computed, not stored; past this many open tickets, it is cut. */
const QUEUE_LIMIT = 5_000;

export interface ListTicketsInput extends TicketQuery {
  /** newest: newest first (the default); queue: the team's queue order (core/triage/queueOrder.ts), open tickets unless a status is given. */
  sort?: 'newest' | 'queue';
}

/** An agent's ticket queue: filtered, newest first or in queue order, one page, each with its SLA. `from` and `to` are dates or ISO times; a date `to` includes that day. */
export async function listTickets(
  core: Pick<CoreServices, 'tickets'> & Partial<Pick<CoreServices, 'index'>>,
  query: ListTicketsInput,
): Promise<Omit<TicketPage, 'tickets'> & { tickets: TicketWithSla[] }> {
  const { sort, ...q } = query;
  const filters = { ...q, to: q.to && rangeEnd(q.to) };
  const now = new Date();
  const sla = (t: TicketWithSla) => (core.index ? withSla({ index: core.index }, t, now) : t);
  if (sort !== 'queue') {
    const page = await core.tickets.list(filters);
    return { ...page, tickets: page.tickets.map(sla) };
  }
  const pageSize = q.pageSize ?? 50;
  const page = q.page ?? 1;
  const all = await core.tickets.list({ ...filters, status: q.status ?? 'open', page: 1, pageSize: QUEUE_LIMIT });
  const routing = core.index?.get().manifest.routing ?? NO_ROUTING;
  const ordered = queueOrder(all.tickets.map(sla), routing, q.team);
  return { tickets: ordered.slice((page - 1) * pageSize, page * pageSize), total: all.total, page, pageSize };
}
