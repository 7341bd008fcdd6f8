import type { CoreServices } from '../services.ts';
import type { Ticket } from '../tickets/types.ts';
import { computeSla, type SlaStatus } from './computeSla.ts';

/** A ticket as commands hand it to presenters: with its SLA computed at `now` (never stored). */
export type TicketWithSla = Ticket & { slaStatus?: SlaStatus };

/** The ticket's SLA under the policy the served snapshot was published with; a copy, the stored ticket untouched. */
export function withSla(core: Pick<CoreServices, 'index'>, t: Ticket, now = new Date()): TicketWithSla {
  const policy = core.index.get().manifest.sla;
  const slaStatus = policy && computeSla(t, policy, now);
  return slaStatus ? { ...t, slaStatus } : t;
}
