import type { FactStore } from '../reports/factStore.ts';
import type { EventStore, TicketRepository } from '../storage/ports.ts';

/**
 * Delete the event files of days older than the retention period (and their
 * report caches). Whole days only: a day is kept until all of it is older
 * than `days` days. 0 keeps everything.
 */
export async function applyRetention(
  events: EventStore,
  days: number,
  options: { facts?: FactStore; now?: number } = {},
): Promise<string[]> {
  if (!days) return [];
  const cutoff = new Date((options.now ?? Date.now()) - days * 86_400_000).toISOString().slice(0, 10);
  const removed: string[] = [];
  for (const day of await events.days()) {
    if (day >= cutoff) break;
    await events.removeDay(day);
    await options.facts?.invalidate(day);
    removed.push(day);
  }
  return removed;
}

/**
 * Delete solved tickets whose last change is older than `days` days, so the
 * ticket file (rewritten whole on each change) does not grow for ever and
 * closed cases do not keep people's addresses longer than needed. Open and
 * pending tickets are work in progress and always kept. 0 keeps everything.
 * Events about those tickets follow the event retention, and reports keep
 * counting them until then.
 */
export async function applyTicketRetention(
  tickets: TicketRepository,
  days: number,
  options: { now?: number } = {},
): Promise<string[]> {
  if (!days) return [];
  const cutoff = new Date((options.now ?? Date.now()) - days * 86_400_000).toISOString();
  // Closed is solved and left alone (core/tickets/lifecycle.ts): kept no longer than solved.
  return tickets.removeWhere((t) => (t.status === 'solved' || t.status === 'closed') && t.updatedAt < cutoff);
}
