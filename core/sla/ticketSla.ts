import type { CoreServices } from '../services.ts';
import type { Ticket } from '../tickets/types.ts';
import { tabulatedClock, type BusinessClock } from './businessClock.ts';
import { computeSla, type SlaStatus } from './computeSla.ts';

/** A ticket as commands hand it to presenters: with its SLA computed at `now` (never stored). */
export type TicketWithSla = Ticket & { slaStatus?: SlaStatus };

/** The ticket's SLA under the policy the served snapshot was published with; a copy, the stored ticket untouched. */
export function withSla(core: Pick<CoreServices, 'index'>, t: Ticket, now = new Date()): TicketWithSla {
  const policy = core.index.get().manifest.sla;
  const slaStatus = policy && computeSla(t, policy, now);
  return slaStatus ? { ...t, slaStatus } : t;
}

/** How far past now a page's table reaches: the due times of the usual targets (hours to a few business days). */
const AHEAD_MS = 14 * 86_400_000;

/**
 * Many tickets' SLAs at one instant (a page of the queue), the same as
 * withSla one by one. Walking the calendar from each ticket's creation cost
 * a few Intl calls per day of its age, per ticket; here the working periods
 * from the oldest ticket with a priority are tabulated once, on first use
 * (businessClock.ts; past the table it walks, as for a due time further ahead).
 */
export function withSlas(core: Pick<CoreServices, 'index'>, tickets: Ticket[], now = new Date()): TicketWithSla[] {
  const policy = core.index.get().manifest.sla;
  if (!policy) return tickets;
  let table: BusinessClock | undefined;
  const shared = (): BusinessClock => {
    if (table) return table;
    const oldest = tickets.reduce((m, t) => (t.priority ? Math.min(m, Date.parse(t.createdAt)) : m), now.getTime());
    return (table = tabulatedClock(policy, oldest, now.getTime() + AHEAD_MS));
  };
  const clock: BusinessClock = { between: (a, b) => shared().between(a, b), add: (a, ms) => shared().add(a, ms) };
  return tickets.map((t) => {
    const slaStatus = computeSla(t, policy, now, clock);
    return slaStatus ? { ...t, slaStatus } : t;
  });
}
