import { rangeEnd } from '../reports/period.ts';
import type { CoreServices } from '../services.ts';
import { withSlas, type TicketWithSla } from '../sla/ticketSla.ts';
import type { TicketPage, TicketQuery } from '../storage/ports.ts';
import { queueOrderFor } from '../triage/queueOrder.ts';

export interface ListTicketsInput extends Omit<TicketQuery, 'queue'> {
  /** newest: newest first (the default); queue: the team's queue order (core/triage/queueOrder.ts), open tickets unless a status is given. */
  sort?: 'newest' | 'queue';
  /** The instant the SLAs are computed at (now; a spec or a bench fixes it). */
  now?: Date;
}

/** An agent's ticket queue: filtered, newest first or in queue order, one page, each with its SLA. `from` and `to` are dates or ISO times; a date `to` includes that day. */
export async function listTickets(
  core: Pick<CoreServices, 'tickets'> & Partial<Pick<CoreServices, 'index'>>,
  query: ListTicketsInput,
): Promise<Omit<TicketPage, 'tickets'> & { tickets: TicketWithSla[] }> {
  const { sort, now = new Date(), ...q } = query;
  const filters: TicketQuery = { ...q, to: q.to && rangeEnd(q.to) };
  // The store orders the whole queue (its keys depend on the ticket and the SLA policy, not on now), and pages it.
  const page =
    sort === 'queue'
      ? await core.tickets.list({
          ...filters,
          status: q.status ?? 'open',
          queue: queueOrderFor(core.index?.get().manifest ?? {}, q.team),
        })
      : await core.tickets.list(filters);
  return { ...page, tickets: core.index ? withSlas({ index: core.index }, page.tickets, now) : page.tickets };
}
