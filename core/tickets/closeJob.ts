import { closeSolvedTickets } from '../commands/closeSolvedTickets.ts';
import { log } from '../logger.ts';
import type { CoreServices } from '../services.ts';

/** Often enough that "closed after N days" is true to the hour, rarely enough to cost nothing. */
const EVERY_MS = 15 * 60_000;
const FIRST_RUN_MS = 10_000;

/**
 * Every instance runs this: closing is re-checked per ticket under the
 * store's lock (closeSolvedTickets), so instances running it together close
 * each ticket once. Timers are unref'd: they never keep the process alive.
 */
export function startTicketClosing(
  core: Pick<CoreServices, 'tickets'>,
  options: { closeDays: number; everyMs?: number; firstRunMs?: number },
): () => Promise<void> {
  let running: Promise<void> | null = null;
  let stopped = false;
  const run = () => {
    if (running || stopped) return;
    running = closeSolvedTickets(core, { closeDays: options.closeDays })
      .then((ids) => {
        if (ids.length) log.info('tickets', 'closed tickets solved and untouched', { tickets: ids.length });
      })
      .catch((error: Error) => log.error('tickets', 'closing solved tickets failed; will retry', { error }))
      .finally(() => (running = null));
  };
  const first = setTimeout(run, options.firstRunMs ?? FIRST_RUN_MS);
  const every = setInterval(run, options.everyMs ?? EVERY_MS);
  first.unref();
  every.unref();
  return async () => {
    stopped = true;
    clearTimeout(first);
    clearInterval(every);
    await running;
  };
}
