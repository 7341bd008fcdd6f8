import { sendSlaAlerts } from '../commands/sendSlaAlerts.ts';
import { log } from '../logger.ts';
import { runPeriodically } from '../periodic.ts';
import type { CoreServices } from '../services.ts';

/** A warning or a breach is told within a minute of happening. */
const EVERY_MS = 60_000;
const FIRST_RUN_MS = 15_000;

/** Every instance runs this; each alert is marked under the ticket's lock, so it is sent once (sendSlaAlerts). */
export function startSlaAlerts(
  core: Pick<CoreServices, 'tickets' | 'sinks' | 'index'>,
  options: { everyMs?: number; firstRunMs?: number } = {},
): () => Promise<void> {
  return runPeriodically(
    (stopped) =>
      sendSlaAlerts(core, { stopped })
        .then((n) => {
          if (n) log.info('sla', 'SLA alerts queued', { alerts: n });
        })
        .catch((error: Error) => log.error('sla', 'checking SLA alerts failed; will retry', { error })),
    { firstMs: options.firstRunMs ?? FIRST_RUN_MS, everyMs: options.everyMs ?? EVERY_MS },
  );
}
