import { log } from '../logger.ts';
import { runPeriodically } from '../periodic.ts';
import type { FactStore } from '../reports/factStore.ts';
import type { EventStore, TicketRepository } from '../storage/ports.ts';
import { applyRetention, applyTicketRetention } from './retention.ts';

const FIRST_RUN_MS = 5_000;
const EVERY_MS = 3_600_000;

/**
 * Housekeeping of a served data directory, shortly after start and then
 * hourly: delete events and solved tickets past retention, and build the report caches of days
 * that have closed, so the first report of the morning does not pay for them.
 */
export function startMaintenance(deps: {
  events: EventStore;
  facts: FactStore;
  retentionDays: number;
  tickets?: TicketRepository;
  ticketRetentionDays?: number;
}): () => Promise<void> {
  const housekeeping = async (stopped: () => boolean) => {
    try {
      const removed = await applyRetention(deps.events, deps.retentionDays, { facts: deps.facts });
      if (removed.length)
        log.info('privacy', 'deleted events past retention', {
          days: removed.length,
          oldest: removed[0],
          newest: removed.at(-1),
        });
      const tickets = deps.tickets ? await applyTicketRetention(deps.tickets, deps.ticketRetentionDays ?? 0) : [];
      if (tickets.length) log.info('privacy', 'deleted solved tickets past retention', { tickets: tickets.length });
      if (stopped()) return;
      const built = await deps.facts.warm(new Date().toISOString().slice(0, 10), stopped);
      if (built) log.info('reports', 'report caches built', { days: built });
    } catch (error) {
      log.error('maintenance', 'housekeeping failed; will retry', { error: error as Error });
    }
  };
  return runPeriodically(housekeeping, { firstMs: FIRST_RUN_MS, everyMs: EVERY_MS });
}
