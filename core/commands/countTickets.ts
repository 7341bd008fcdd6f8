import type { TicketStatus } from '../contracts/api.ts';
import type { CoreServices } from '../services.ts';
import { listTickets, type ListTicketsInput } from './listTickets.ts';

/** Every status, in the order a ticket moves through them (the inbox's tabs follow it). */
export const TICKET_STATUSES: readonly TicketStatus[] = ['open', 'pending', 'on_hold', 'solved', 'closed'];

export type TicketCountQuery = Omit<ListTicketsInput, 'status' | 'page' | 'pageSize'>;

/**
 * The agents' queue counted per status under the other filters (assignee,
 * channel, tag, text…), so each status tab says how many a click would show.
 * It asks the store's own list for each status's total, one page of one
 * ticket, so both stores count by the very filters they list with.
 */
export async function countTickets(
  core: Pick<CoreServices, 'tickets'>,
  query: TicketCountQuery,
): Promise<{ counts: Record<TicketStatus, number>; total: number }> {
  // The order changes no count: counted newest first, the queue's keys are neither read nor brought up to date.
  const { sort: _order, ...filters } = query;
  const totals = await Promise.all(
    TICKET_STATUSES.map(
      async (status) => (await listTickets(core, { ...filters, status, page: 1, pageSize: 1 })).total,
    ),
  );
  const counts = Object.fromEntries(TICKET_STATUSES.map((s, i) => [s, totals[i]!])) as Record<TicketStatus, number>;
  return { counts, total: totals.reduce((a, b) => a + b, 0) };
}
