import { closeSolvedTickets } from '../commands/closeSolvedTickets.ts';
import { log } from '../logger.ts';
import { runPeriodically } from '../periodic.ts';
import type { CoreServices } from '../services.ts';

/** Often enough that "closed after N days" is true to the hour, rarely enough to cost nothing. */
const EVERY_MS = 15 * 60_000;
const FIRST_RUN_MS = 10_000;

/**
 * Every instance runs this: closing is re-checked per ticket under the
 * store's lock (closeSolvedTickets), so instances running it together close
 * each ticket once.
 */
export function startTicketClosing(
  core: Pick<CoreServices, 'tickets' | 'sinks'>,
  options: { closeDays: number; everyMs?: number; firstRunMs?: number },
): () => Promise<void> {
  return runPeriodically(
    () =>
      closeSolvedTickets(core, { closeDays: options.closeDays })
        .then((ids) => {
          if (ids.length) log.info('tickets', 'closed tickets solved and untouched', { tickets: ids.length });
        })
        .catch((error: Error) => log.error('tickets', 'closing solved tickets failed; will retry', { error })),
    { firstMs: options.firstRunMs ?? FIRST_RUN_MS, everyMs: options.everyMs ?? EVERY_MS },
  );
}
