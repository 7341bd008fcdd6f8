import type { TicketWithSla } from '../sla/ticketSla.ts';
import type { RoutingPolicy } from './routingRules.ts';

/**
 * A team's queue: by priority (P1 first, none last), then the nearest due
 * time (first response, else resolution; none last), then the oldest; or,
 * for a team set to `fifo` in _routing.yml, oldest first only.
 */
export function queueOrder(
  tickets: TicketWithSla[],
  routing: Pick<RoutingPolicy, 'teams'>,
  team: string | undefined,
): TicketWithSla[] {
  const fifo = team !== undefined && routing.teams[team]?.queue === 'fifo';
  const age = (a: TicketWithSla, b: TicketWithSla) => cmp(a.createdAt, b.createdAt) || cmp(a.id, b.id);
  if (fifo) return [...tickets].sort(age);
  // '~' sorts after digits and ISO times: what has no priority or due time goes last.
  const due = (t: TicketWithSla) => t.slaStatus?.due.firstResponseAt ?? t.slaStatus?.due.resolutionAt ?? '~';
  return [...tickets].sort((a, b) => cmp(a.priority ?? 'P~', b.priority ?? 'P~') || cmp(due(a), due(b)) || age(a, b));
}

/** Code-unit order (localeCompare would ignore the '~'). */
function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
