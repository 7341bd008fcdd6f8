import { log } from '../logger.ts';
import type { Ticket, TicketSink } from './types.ts';

/**
 * Give a new ticket to every sink (the webhook, other systems). Awaited: a
 * sink hands the ticket over durably (the webhook enqueues it) before the
 * user is told it is open. Sinks are other systems: they get the ticket, not
 * the hash that opens its follow-up page. A failing sink is logged, never the
 * user's problem: the ticket is already in the built-in store.
 */
export async function handToSinks(sinks: readonly TicketSink[], ticket: Ticket): Promise<void> {
  const { followUpHash: _hash, ...forSinks } = ticket;
  await Promise.all(
    sinks.map((sink) =>
      sink
        .deliver(forSinks)
        .catch((error: Error) => log.error('tickets', 'sink failed', { sink: sink.name, ticketId: ticket.id, error })),
    ),
  );
}
