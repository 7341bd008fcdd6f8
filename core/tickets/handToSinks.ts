import { log } from '../logger.ts';
import { ticketForOthers } from './outbox.ts';
import type { SinkHandOver, Ticket, TicketChangeEvent, TicketSink } from './types.ts';

/**
 * Give a new ticket to the sinks that send by other means than a queue
 * (those that queue owed their deliveries in the ticket's own write:
 * core/tickets/outbox.ts). Sinks are other systems: they get the ticket, not
 * the hash that opens its follow-up page. A failing sink is logged, never the
 * user's problem: the ticket is already in the built-in store. The follow-up
 * token itself (`handOver`) goes along for the sinks that write to the customer.
 */
export async function handToSinks(
  sinks: readonly TicketSink[],
  ticket: Ticket,
  handOver?: SinkHandOver,
): Promise<void> {
  const { followUpHash: _hash, customerMail: _mail, ...forSinks } = ticket;
  await Promise.all(
    sinks
      .filter((sink) => !sink.owe && sink.deliver)
      .map((sink) =>
        sink.deliver!(forSinks, handOver).catch((error: Error) =>
          log.error('tickets', 'sink failed', { sink: sink.name, ticketId: ticket.id, error }),
        ),
      ),
  );
}

/**
 * Tell the sinks that follow tickets by other means than a queue what
 * happened to one. Other systems get what the customer may see of it: no
 * follow-up hash, no internal note (the thread's internal messages and the
 * agents' notes stay agent-side). Awaited, like handToSinks.
 */
export async function announceToSinks(
  sinks: readonly TicketSink[],
  event: TicketChangeEvent,
  ticket: Ticket,
  detail?: Record<string, unknown>,
): Promise<void> {
  const shared = ticketForOthers(ticket);
  await Promise.all(
    sinks
      .filter((sink) => !sink.owe && sink.announce)
      .map((sink) =>
        sink.announce!(event, shared, detail).catch((error: Error) =>
          log.error('tickets', 'sink failed', { sink: sink.name, ticketId: ticket.id, event, error }),
        ),
      ),
  );
}
