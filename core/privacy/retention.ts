import type { EventLog } from '../events/eventLog.ts';
import type { FactStore } from '../reports/factStore.ts';

/**
 * Delete the event files of days older than the retention period (and their
 * report caches). Whole days only: a day is kept until all of it is older
 * than `days` days. 0 keeps everything.
 */
export async function applyRetention(events: EventLog, days: number, options: { facts?: FactStore; now?: number } = {}): Promise<string[]> {
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
