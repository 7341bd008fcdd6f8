import { rangeEnd } from '../reports/period.ts';
import type { CoreServices } from '../services.ts';
import type { TicketPage, TicketQuery } from '../storage/ports.ts';

/** An agent's ticket queue: filtered, newest first, one page. `from` and `to` are dates or ISO times; a date `to` includes that day. */
export async function listTickets(core: Pick<CoreServices, 'tickets'>, query: TicketQuery): Promise<TicketPage> {
  return core.tickets.list({ ...query, to: query.to && rangeEnd(query.to) });
}
