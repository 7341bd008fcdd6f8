import { createHash } from 'node:crypto';
import { computeSla, type SlaTicket } from '../sla/computeSla.ts';
import type { SlaPolicy } from '../sla/slaPolicy.ts';
import type { QueueOrder } from '../storage/ports.ts';
import type { Ticket } from '../tickets/types.ts';
import type { RoutingPolicy } from './routingRules.ts';

/** Bumped when the key's layout changes: keys stored under an older layout are then made again. */
const KEY_VERSION = 1;

/**
 * A team's queue order under the served snapshot's policies: by priority (P1
 * first, none last), then the nearest due time (first response, else
 * resolution; none last), then the oldest; or, for a team set to `fifo` in
 * _routing.yml, oldest first only. Stores order by it (TicketQuery.queue).
 */
export function queueOrderFor(
  policies: { sla?: SlaPolicy; routing?: Pick<RoutingPolicy, 'teams'> },
  team: string | undefined,
): QueueOrder {
  const { sla } = policies;
  const fifo = team !== undefined && policies.routing?.teams[team]?.queue === 'fifo';
  return { fifo, policy: policyFingerprint(sla), key: (t) => queueKey(t, queueDue(t, sla)) };
}

/**
 * A ticket's place in a priority queue as one string in code-unit order
 * (the PostgreSQL column is COLLATE "C"): priority, due time, creation time,
 * id, each of fixed width but the last. '~' sorts after digits and ISO times,
 * so what has no priority or due time goes last.
 */
export function queueKey(t: Pick<Ticket, 'id' | 'priority' | 'createdAt'>, due: string | undefined): string {
  return `${t.priority ?? 'P~'} ${due ?? '~'.repeat(24)} ${t.createdAt} ${t.id}`;
}

/**
 * The due time a ticket is queued by: its first-response due time, else its
 * resolution's, as the ticket shows them (computeSla). Computed at the last
 * instant the ticket records rather than now: while a clock runs, its due
 * time is the same at any later instant (business time still to use, added
 * to now), and a paused, met or breached clock's does not move. So the key
 * depends on the ticket and the policy alone, and a store can keep it.
 */
export function queueDue(t: SlaTicket, sla: SlaPolicy | undefined): string | undefined {
  if (!sla || !t.priority) return undefined;
  const at = Math.max(
    Date.parse(t.createdAt),
    ...(t.statusHistory ?? []).map((h) => Date.parse(h.at)),
    t.firstResponseAt ? Date.parse(t.firstResponseAt) : 0,
  );
  const due = computeSla(t, sla, new Date(at))?.due;
  return due?.firstResponseAt ?? due?.resolutionAt;
}

/** First come, first served: by creation time, then id (code units, as the key). */
export function fifoCompare(a: Pick<Ticket, 'id' | 'createdAt'>, b: Pick<Ticket, 'id' | 'createdAt'>): number {
  return cmp(a.createdAt, b.createdAt) || cmp(a.id, b.id);
}

/** Names the SLA policy keys were made under: a stored key with another name is stale. */
export function policyFingerprint(sla: SlaPolicy | undefined): string {
  const text = JSON.stringify({ v: KEY_VERSION, sla: sla ?? null });
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/** Code-unit order (localeCompare would ignore the '~'). */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
