import { rangeEnd } from '../reports/period.ts';
import type { CoreServices } from '../services.ts';
import type { TicketQuery } from '../tickets/ticketStore.ts';
import type { Ticket } from '../tickets/types.ts';

/** An agent's ticket queue: filtered, newest first, one page. `from` and `to` are dates or ISO times; a date `to` includes that day. */
export function listTickets(core: Pick<CoreServices, 'tickets'>, query: TicketQuery): { tickets: Ticket[]; total: number; page: number; pageSize: number } {
  return core.tickets.list({ ...query, to: query.to && rangeEnd(query.to) });
}
