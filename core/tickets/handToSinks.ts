import { log } from '../logger.ts';
import type { SinkHandOver, Ticket, TicketChangeEvent, TicketSink } from './types.ts';

/**
 * Give a new ticket to every sink (the webhook, other systems). Awaited: a
 * sink hands the ticket over durably (the webhook enqueues it) before the
 * user is told it is open. Sinks are other systems: they get the ticket, not
 * the hash that opens its follow-up page. A failing sink is logged, never the
 * user's problem: the ticket is already in the built-in store. The
 * follow-up token itself (`handOver`) goes along for the sinks that write to
 * the customer (e-mail); the webhook ignores it.
 */
export async function handToSinks(
  sinks: readonly TicketSink[],
  ticket: Ticket,
  handOver?: SinkHandOver,
): Promise<void> {
  const { followUpHash: _hash, customerMail: _mail, ...forSinks } = ticket;
  await Promise.all(
    sinks.map((sink) =>
      sink
        .deliver(forSinks, handOver)
        .catch((error: Error) => log.error('tickets', 'sink failed', { sink: sink.name, ticketId: ticket.id, error })),
    ),
  );
}

/**
 * Tell the sinks that follow tickets what happened to one. Other systems get
 * what the customer may see of it: no follow-up hash, no internal note (the
 * thread's internal messages and the agents' notes stay agent-side). Awaited
 * like handToSinks: a change is queued before the caller answers.
 */
export async function announceToSinks(
  sinks: readonly TicketSink[],
  event: TicketChangeEvent,
  ticket: Ticket,
  detail?: Record<string, unknown>,
): Promise<void> {
  const { followUpHash: _hash, customerMail: _mail, notes: _notes, ...rest } = ticket;
  const shared = { ...rest, notes: [], messages: (ticket.messages ?? []).filter((m) => !m.internal) };
  await Promise.all(
    sinks.map(
      (sink) =>
        sink
          .announce?.(event, shared, detail)
          .catch((error: Error) =>
            log.error('tickets', 'sink failed', { sink: sink.name, ticketId: ticket.id, event, error }),
          ) ?? Promise.resolve(),
    ),
  );
}
