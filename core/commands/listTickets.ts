import type { CoreServices } from '../services.ts';
import type { TicketQuery } from '../tickets/ticketStore.ts';
import type { Ticket } from '../tickets/types.ts';

/** An agent's ticket queue: filtered, newest first, one page. `from` and `to` are dates or ISO times; a date `to` includes that day. */
export function listTickets(core: Pick<CoreServices, 'tickets'>, query: TicketQuery): { tickets: Ticket[]; total: number; page: number; pageSize: number } {
  const to = query.to && query.to.length === 10 ? new Date(Date.parse(`${query.to}T00:00:00Z`) + 86_400_000).toISOString() : query.to;
  return core.tickets.list({ ...query, to });
}
