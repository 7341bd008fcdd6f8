import type { TicketStatus } from '../contracts/api.ts';
import type { Ticket } from '../tickets/types.ts';
import { walkingClock, type BusinessClock } from './businessClock.ts';
import type { SlaPolicy } from './slaPolicy.ts';

/** One target's clock: business time used, and where it stands at `now`. */
export interface SlaClock {
  targetMs: number;
  usedMs: number;
  /** running: counting now; paused: pending or on hold; met: answered (solved) within the target; breached: not. */
  state: 'running' | 'paused' | 'met' | 'breached';
  /** When the target is (running) or was (breached) reached. */
  dueAt?: string;
}

export interface SlaStatus {
  due: { firstResponseAt?: string; resolutionAt?: string };
  sla: 'ok' | 'warning' | 'breached';
  clocks: { firstResponse?: SlaClock; resolution?: SlaClock };
}

export type SlaTicket = Pick<
  Ticket,
  'createdAt' | 'status' | 'statusHistory' | 'firstResponseAt' | 'priority' | 'attributes'
>;

const STOPPED: readonly TicketStatus[] = ['solved', 'closed'];

/**
 * A ticket's SLA as a pure function of its history (status changes and the
 * first public agent reply, with their times), the policy and `now`: no
 * timer is stored, so nothing drifts and every instance computes the same.
 * Clocks count business time while the ticket is open; pending and on hold
 * pause them; solved stops them. Undefined when no target applies.
 * `clock`: the same calendar's arithmetic tabulated, for a report over many tickets.
 */
export function computeSla(
  t: SlaTicket,
  policy: SlaPolicy,
  now: Date,
  clock: BusinessClock = walkingClock(policy),
): SlaStatus | undefined {
  const targets = targetsFor(t, policy);
  if (!targets.firstResponse && !targets.resolution) return undefined;
  const nowMs = now.getTime();
  const clocks: SlaStatus['clocks'] = {};
  if (targets.firstResponse) {
    const stop = t.firstResponseAt ? Date.parse(t.firstResponseAt) : undefined;
    clocks.firstResponse = runClock(t, clock, targets.firstResponse, nowMs, stop);
  }
  if (targets.resolution) clocks.resolution = runClock(t, clock, targets.resolution, nowMs, undefined);
  const list = Object.values(clocks);
  const sla = list.some((c) => c.state === 'breached')
    ? 'breached'
    : list.some((c) => (c.state === 'running' || c.state === 'paused') && c.usedMs >= policy.warningAt * c.targetMs)
      ? 'warning'
      : 'ok';
  const dueOf = (c?: SlaClock) => (c && (c.state === 'running' || c.state === 'breached') ? c.dueAt : undefined);
  const due = {
    ...(dueOf(clocks.firstResponse) ? { firstResponseAt: dueOf(clocks.firstResponse) } : {}),
    ...(dueOf(clocks.resolution) ? { resolutionAt: dueOf(clocks.resolution) } : {}),
  };
  return { due, sla, clocks };
}

/** The targets for the ticket's priority: its plan's (the verified `plan` attribute) first, then the general ones. */
export function targetsFor(
  t: Pick<Ticket, 'priority' | 'attributes'>,
  policy: SlaPolicy,
): { firstResponse?: number; resolution?: number } {
  if (!t.priority) return {};
  const general = policy.targets[t.priority] ?? {};
  const plan = t.attributes?.plan;
  const special = (plan && policy.plans[plan]?.[t.priority]) || {};
  return { ...general, ...special };
}

function runClock(t: SlaTicket, cal: BusinessClock, targetMs: number, nowMs: number, stopMs?: number): SlaClock {
  const end = Math.min(stopMs ?? nowMs, nowMs);
  let used = 0;
  let dueMs: number | undefined;
  for (const seg of segments(t, end)) {
    if (seg.status !== 'open') continue;
    const part = cal.between(seg.from, seg.to);
    if (dueMs === undefined && used + part > targetMs) dueMs = cal.add(seg.from, targetMs - used);
    used += part;
  }
  const current = t.status;
  const finished = stopMs !== undefined && stopMs <= nowMs ? true : STOPPED.includes(current);
  const iso = (ms?: number) => (ms === undefined ? undefined : new Date(ms).toISOString());
  if (dueMs !== undefined) return { targetMs, usedMs: used, state: 'breached', dueAt: iso(dueMs) };
  if (finished) return { targetMs, usedMs: used, state: 'met' };
  if (current === 'open')
    return { targetMs, usedMs: used, state: 'running', dueAt: iso(cal.add(nowMs, targetMs - used)) };
  return { targetMs, usedMs: used, state: 'paused' };
}

/** The ticket's life as status segments up to `end`: open from creation, then each recorded change. */
function segments(t: SlaTicket, end: number): { status: TicketStatus; from: number; to: number }[] {
  const changes = [{ at: t.createdAt, status: 'open' as TicketStatus }, ...(t.statusHistory ?? [])];
  const out: { status: TicketStatus; from: number; to: number }[] = [];
  for (const [i, c] of changes.entries()) {
    const from = Date.parse(c.at);
    const to = Math.min(i + 1 < changes.length ? Date.parse(changes[i + 1]!.at) : end, end);
    if (to > from) out.push({ status: c.status, from, to });
  }
  return out;
}
