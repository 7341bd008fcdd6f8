import { createHash } from 'node:crypto';
import type { Owe, OwedDelivery, QueueName } from '../storage/ports.ts';
import type { SinkHandOver, Ticket, TicketChangeEvent, TicketSink } from './types.ts';

/**
 * The transactional outbox's rules: which deliveries a ticket change owes
 * (asked of every sink that queues), and the id each one gets. The stores
 * write them with the change itself (core/storage/ports.ts, Owe).
 */

/** What happened to the ticket: it was opened (with what its own channels may get), or it changed. */
export type OwedChange =
  { event: 'ticket.created'; handOver?: SinkHandOver } | { event: TicketChangeEvent; detail?: Record<string, unknown> };

/**
 * The deliveries every queuing sink owes for `change`, as one Owe for the
 * store; sinks that send by other means (WhatsApp) are told afterwards by
 * handToSinks/announceToSinks. `change` may be a function of the changed
 * ticket (what a reply added), or undefined when the change owes nothing.
 */
export function oweTo(sinks: readonly TicketSink[], change: OwedChange | ((t: Ticket) => OwedChange | undefined)): Owe {
  return (ticket) => {
    const c = typeof change === 'function' ? change(ticket) : change;
    return c ? sinks.flatMap((s) => s.owe?.(c, ticket) ?? []) : [];
  };
}

/** Let each queuing sink read what its `owe` needs (a key kept in the store) before the change is made. */
export async function prepareSinks(sinks: readonly TicketSink[]): Promise<void> {
  await Promise.all(sinks.map((s) => s.prepare?.()));
}

/**
 * A delivery owed by `ticket` as it is being stored. Its id is derived from
 * the queue, the ticket (id and creation time, so a number given again after
 * a lost data file is another ticket), the event and the change's time —
 * which the stores keep strictly increasing per ticket (nextUpdatedAt) — so
 * recording it twice (an embedded store's recovery at start) queues it once,
 * and receivers that de-duplicate on X-Deflect-Delivery see one id per change.
 */
export function owedDelivery(
  queue: QueueName,
  ticket: Pick<Ticket, 'id' | 'createdAt' | 'updatedAt'>,
  event: string,
  payload: Record<string, unknown>,
): OwedDelivery {
  const key = [queue, ticket.id, ticket.createdAt, event, ticket.updatedAt].join('\n');
  return {
    queue,
    id: uuidOf(key),
    event,
    // A copy: the delivery must not change with the store's own ticket.
    payload: structuredClone(payload),
    status: 'pending',
    attempts: 0,
    dueAt: ticket.updatedAt,
    createdAt: ticket.updatedAt,
  };
}

/**
 * The time a change is stored at: now, or just after the ticket's last change
 * when the clock has not moved on (two changes in one millisecond, a clock set
 * back), so each change of a ticket has its own time and its deliveries their own ids.
 */
export function nextUpdatedAt(previous: string | undefined, now = Date.now()): string {
  const after = previous ? Date.parse(previous) + 1 : -Infinity;
  return new Date(Math.max(now, after)).toISOString();
}

/** A ticket as other systems get it: no follow-up hash, no mail state, no internal note or message. */
export function ticketForOthers(ticket: Ticket): Ticket {
  const { followUpHash: _hash, customerMail: _mail, notes: _notes, ...rest } = ticket;
  return { ...rest, notes: [], messages: (ticket.messages ?? []).filter((m) => !m.internal) };
}

/** A UUID-shaped name for `key` (SHA-256, version nibble 8: custom), the form delivery ids always had. */
function uuidOf(key: string): string {
  const h = createHash('sha256').update(key, 'utf8').digest('hex');
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
