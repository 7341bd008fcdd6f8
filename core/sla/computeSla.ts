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
  const raw = runClocks(timelineOf(t), targets, now.getTime(), clock);
  const iso = (ms?: number) => (ms === undefined ? undefined : new Date(ms).toISOString());
  const clocks: SlaStatus['clocks'] = {};
  for (const name of ['firstResponse', 'resolution'] as const) {
    const c = raw[name];
    if (!c) continue;
    const { dueMs, ...rest } = c;
    clocks[name] = rest.state === 'running' || rest.state === 'breached' ? { ...rest, dueAt: iso(dueMs) } : rest;
  }
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

/** A ticket's history in epoch ms: what the clocks read (the tickets report keeps it so, core/reports/ticketFacts.ts). */
export interface SlaTimeline {
  createdMs: number;
  status: TicketStatus;
  /** Each status entered after `open` at creation, oldest first: [ms, status]. */
  history: readonly (readonly [number, TicketStatus])[];
  firstResponseMs?: number;
}

/** A clock as runClocks leaves it: its due instant in ms. */
export type RawSlaClock = Omit<SlaClock, 'dueAt'> & { dueMs?: number };

/**
 * The clocks of the given targets over a timeline at `nowMs`: the rule
 * computeSla presents, shared with the tickets report, which reads millions
 * of timelines and wants no ISO strings on the way.
 */
export function runClocks(
  tl: SlaTimeline,
  targets: { firstResponse?: number; resolution?: number },
  nowMs: number,
  clock: BusinessClock,
): { firstResponse?: RawSlaClock; resolution?: RawSlaClock } {
  const clocks: { firstResponse?: RawSlaClock; resolution?: RawSlaClock } = {};
  if (targets.firstResponse)
    clocks.firstResponse = runClock(tl, clock, targets.firstResponse, nowMs, tl.firstResponseMs);
  if (targets.resolution) clocks.resolution = runClock(tl, clock, targets.resolution, nowMs, undefined);
  return clocks;
}

function timelineOf(t: SlaTicket): SlaTimeline {
  return {
    createdMs: Date.parse(t.createdAt),
    status: t.status,
    history: (t.statusHistory ?? []).map((h) => [Date.parse(h.at), h.status] as const),
    ...(t.firstResponseAt ? { firstResponseMs: Date.parse(t.firstResponseAt) } : {}),
  };
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

function runClock(tl: SlaTimeline, cal: BusinessClock, targetMs: number, nowMs: number, stopMs?: number): RawSlaClock {
  const end = Math.min(stopMs ?? nowMs, nowMs);
  let used = 0;
  let dueMs: number | undefined;
  // The ticket's life as status segments up to `end`: open from creation, then each recorded change.
  let status: TicketStatus = 'open';
  let from = tl.createdMs;
  for (let i = 0; i <= tl.history.length; i++) {
    const next = tl.history[i];
    const to = Math.min(next ? next[0] : end, end);
    if (status === 'open' && to > from) {
      const part = cal.between(from, to);
      if (dueMs === undefined && used + part > targetMs) dueMs = cal.add(from, targetMs - used);
      used += part;
    }
    if (!next) break;
    from = next[0];
    status = next[1];
  }
  const current = tl.status;
  const finished = stopMs !== undefined && stopMs <= nowMs ? true : STOPPED.includes(current);
  if (dueMs !== undefined) return { targetMs, usedMs: used, state: 'breached', dueMs };
  if (finished) return { targetMs, usedMs: used, state: 'met' };
  if (current === 'open') return { targetMs, usedMs: used, state: 'running', dueMs: cal.add(nowMs, targetMs - used) };
  return { targetMs, usedMs: used, state: 'paused' };
}
