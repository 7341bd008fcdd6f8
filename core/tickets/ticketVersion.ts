import { TicketChangedError } from '../errors.ts';
import type { Ticket } from './types.ts';

/**
 * A ticket's version, for optimistic concurrency: the time of its last
 * change. Both stores move it on every change that goes through
 * TicketRepository.update — an agent's edit, a reply from either side, the
 * close job, a rating — and keep it strictly increasing per ticket
 * (nextUpdatedAt), so two states of one ticket never share a version.
 * Clients treat it as opaque.
 */
export function versionOf(t: Pick<Ticket, 'updatedAt'>): string {
  return t.updatedAt;
}

/**
 * Refuse a change made against `expected` when the ticket has moved on since.
 * Call it first thing inside TicketRepository.update's change, which runs
 * under the store's lock (the row's FOR UPDATE in PostgreSQL, the single
 * in-memory copy in the embedded store): the comparison and the write are
 * then one step, and a thrown refusal leaves the ticket as it was.
 * `present` makes the error's `current` (a copy, taken before anything changes).
 */
export function expectVersion<T>(t: Ticket, expected: string | undefined, present: (t: Ticket) => T): void {
  if (expected === undefined || versionOf(t) === expected) return;
  throw new TicketChangedError(t.id, expected, present(structuredClone(t)), { version: versionOf(t) });
}
