import type { CoreServices } from '../services.ts';
import { announceToSinks } from '../tickets/handToSinks.ts';
import { oweTo, prepareSinks } from '../tickets/outbox.ts';
import { closeCutoff, isDueToClose, moveTo } from '../tickets/lifecycle.ts';

const BATCH = 200;

/**
 * Close the tickets solved and untouched for `closeDays`. Safe with several
 * instances running it at once: each ticket is re-checked inside the store's
 * update (a row lock in PostgreSQL), so a ticket closed by another instance,
 * or touched meanwhile, is left as it is. Resolves with the ids it closed.
 */
export async function closeSolvedTickets(
  core: Pick<CoreServices, 'tickets' | 'sinks'>,
  input: { closeDays: number; now?: Date },
): Promise<string[]> {
  const now = input.now ?? new Date();
  const closed: string[] = [];
  const seen = new Set<string>();
  await prepareSinks(core.sinks);
  for (;;) {
    const page = await core.tickets.list({
      status: 'solved',
      updatedBefore: closeCutoff(now, input.closeDays),
      pageSize: BATCH,
    });
    // A ticket that stays listed was not closed by us (touched meanwhile): never loop on it.
    const fresh = page.tickets.filter((t) => !seen.has(t.id));
    if (!fresh.length) return closed;
    for (const { id } of fresh) {
      seen.add(id);
      let closing = false;
      const ticket = await core.tickets.update(
        id,
        (t) => {
          closing = isDueToClose(t, now, input.closeDays);
          if (!closing) return false;
          moveTo(t, 'closed', now);
        },
        oweTo(core.sinks, { event: 'ticket.updated' }),
      );
      if (!closing) continue;
      closed.push(id);
      await announceToSinks(core.sinks, 'ticket.updated', ticket);
    }
  }
}
