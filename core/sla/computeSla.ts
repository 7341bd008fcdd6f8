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

/** Statuses as small integers, in this order: what flat timelines (and the tickets report's columns) hold. */
export const STATUS_ORDER: readonly TicketStatus[] = ['open', 'pending', 'on_hold', 'solved', 'closed'];
export const STATUS_CODE: Readonly<Record<TicketStatus, number>> = {
  open: 0,
  pending: 1,
  on_hold: 2,
  solved: 3,
  closed: 4,
};
/** Codes of pending and on hold lie between OPEN and SOLVED: `code < SOLVED` is unsolved. */
export const OPEN = 0;
export const SOLVED = 3;

/**
 * A ticket's history in epoch ms, flat: what the clocks read. The status
 * changes after `open` at creation, oldest first, are `at[i]` and `to[i]`
 * (a STATUS_CODE) for i in [start, end): the tickets report keeps every
 * ticket's changes in two shared arrays (core/reports/ticketColumns.ts)
 * rather than a pair object per change.
 */
export interface SlaTimeline {
  createdMs: number;
  /** The current status (STATUS_CODE). */
  status: number;
  at: ArrayLike<number>;
  to: ArrayLike<number>;
  start: number;
  end: number;
  /** NaN when there is none. */
  firstResponseMs: number;
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
    clocks.firstResponse = runClock(
      tl,
      clock,
      targets.firstResponse,
      nowMs,
      Number.isNaN(tl.firstResponseMs) ? undefined : tl.firstResponseMs,
    );
  if (targets.resolution) clocks.resolution = runClock(tl, clock, targets.resolution, nowMs, undefined);
  return clocks;
}

function timelineOf(t: SlaTicket): SlaTimeline {
  const history = t.statusHistory ?? [];
  return {
    createdMs: Date.parse(t.createdAt),
    status: STATUS_CODE[t.status],
    at: history.map((h) => Date.parse(h.at)),
    to: history.map((h) => STATUS_CODE[h.status]),
    start: 0,
    end: history.length,
    firstResponseMs: t.firstResponseAt ? Date.parse(t.firstResponseAt) : NaN,
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
  let status = OPEN;
  let from = tl.createdMs;
  for (let i = tl.start; i <= tl.end; i++) {
    const last = i === tl.end;
    const to = Math.min(last ? end : tl.at[i]!, end);
    if (status === OPEN && to > from) {
      const part = cal.between(from, to);
      if (dueMs === undefined && used + part > targetMs) dueMs = cal.add(from, targetMs - used);
      used += part;
    }
    if (last) break;
    from = tl.at[i]!;
    status = tl.to[i]!;
  }
  const current = tl.status;
  const finished = stopMs !== undefined && stopMs <= nowMs ? true : current >= SOLVED;
  if (dueMs !== undefined) return { targetMs, usedMs: used, state: 'breached', dueMs };
  if (finished) return { targetMs, usedMs: used, state: 'met' };
  if (current === OPEN) return { targetMs, usedMs: used, state: 'running', dueMs: cal.add(nowMs, targetMs - used) };
  return { targetMs, usedMs: used, state: 'paused' };
}
