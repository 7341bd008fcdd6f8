import type { TicketStatus } from '../contracts/api.ts';
import { tabulatedClock, type BusinessClock } from '../sla/businessClock.ts';
import { computeSla, targetsFor, type SlaClock } from '../sla/computeSla.ts';
import type { SlaPolicy } from '../sla/slaPolicy.ts';
import { dayKey, periodKeys, weekKey } from './deflection.ts';
import { DAY_MS, type Period } from './outcomes.ts';
import type { TicketFacts, TicketKeyName } from './ticketFacts.ts';
import { TicketAcc, type TicketRow } from './ticketRow.ts';

export type { TicketRow } from './ticketRow.ts';

export const TICKET_GROUP_BY = ['day', 'week', 'category', 'type', 'priority', 'team', 'channel', 'agent'] as const;
export type TicketGroupBy = (typeof TICKET_GROUP_BY)[number];

/** A reopen this long after a solve still takes first-contact resolution away; a later one is a new problem. */
export const FCR_REOPEN_WINDOW_MS = 7 * DAY_MS;
/** Without an SLA policy, business time is calendar time. */
const AROUND_THE_CLOCK: BusinessClock = { between: (a, b) => Math.max(0, b - a), add: (a, ms) => a + ms };
/** How far past now the tabulated calendar reaches: running SLA clocks' due times lie ahead (further ones walk). */
const AHEAD_MS = 60 * DAY_MS;

export interface TicketReport {
  from: string;
  to: string;
  groupBy: TicketGroupBy;
  /** Whether business hours come from the KB's SLA calendar (`_sla.yml`) or, without one, are calendar hours. */
  businessCalendar: 'sla' | 'around-the-clock';
  totals: TicketRow;
  rows: TicketRow[];
}

/**
 * The tickets report (docs/reports.md, "Tickets"): each figure is counted at
 * its own instant — a ticket's creation, its first response, its last solve,
 * an SLA target's outcome — in the period and group of that instant; the
 * backlog is counted at the end of the period (and, by day or week, at the
 * end of each row). A pure function of the tickets' facts, the period, the
 * SLA policy and `now`.
 */
export function ticketReport(
  facts: Iterable<TicketFacts>,
  period: Pick<Period, 'from' | 'to'>,
  groupBy: TicketGroupBy,
  policy: SlaPolicy | undefined,
  now: number,
): TicketReport {
  const fromMs = Date.parse(period.from);
  const toMs = Date.parse(period.to);
  const endMs = Math.min(toMs, now);
  const timed = groupBy === 'day' || groupBy === 'week';
  const keyOfTime = groupBy === 'week' ? weekKey : dayKey;
  const list = [...facts].filter((f) => f.createdMs < toMs);
  const earliest = list.reduce((m, f) => Math.min(m, f.createdMs), fromMs);
  const clock = policy ? tabulatedClock(policy, earliest, Math.max(now, toMs) + AHEAD_MS) : AROUND_THE_CLOCK;

  const rows = new Map<string, TicketAcc>();
  if (timed) for (const k of periodKeys(fromMs, toMs, groupBy)) rows.set(k, new TicketAcc(k));
  const totals = new TicketAcc('(total)');
  const row = (key: string) => {
    let r = rows.get(key);
    if (!r) rows.set(key, (r = new TicketAcc(key)));
    return r;
  };
  const inPeriod = (ms: number | undefined): ms is number => ms !== undefined && ms >= fromMs && ms < toMs;
  // Each figure lands in the row of its own instant (day, week) or of the ticket's key.
  const at = (f: TicketFacts, ms: number) => row(timed ? keyOfTime(ms) : f.keys[groupBy as TicketKeyName]);
  const both = (f: TicketFacts, ms: number, add: (a: TicketAcc) => void) => {
    add(at(f, ms));
    add(totals);
  };

  const rowEnds = timed ? [...rows.keys()].map((k) => rowEnd(k, groupBy, endMs)) : [];
  const rowAccs = [...rows.values()];
  for (const f of list) {
    if (inPeriod(f.createdMs)) both(f, f.createdMs, (a) => a.created++);
    if (inPeriod(f.firstResponseMs)) {
      const calendar = f.firstResponseMs - f.createdMs;
      const business = clock.between(f.createdMs, f.firstResponseMs);
      both(f, f.firstResponseMs, (a) => a.firstResponse(business, calendar));
    }
    if (inPeriod(f.solvedMs)) {
      const reopens = reopensOf(f);
      const calendar = f.solvedMs - f.createdMs;
      const business = clock.between(f.createdMs, f.solvedMs);
      const fcr = f.publicReplies <= 1 && !reopens.withinWindow;
      const windowOpen = fcr && f.solvedMs + FCR_REOPEN_WINDOW_MS > now;
      both(f, f.solvedMs, (a) => a.solve(business, calendar, reopens.any, fcr, windowOpen, f.rating));
    }
    if (policy)
      countSla(f, policy, now, clock, (ms, name, met) => inPeriod(ms) && both(f, ms, (a) => a.sla(name, met)));
    if (timed) countBacklogByRow(f, rowEnds, rowAccs);
    else if (unsolvedAt(f, endMs)) both(f, endMs, (a) => a.backlogAge(endMs - f.createdMs));
  }
  if (timed) for (const f of list) if (unsolvedAt(f, endMs)) totals.backlogAge(endMs - f.createdMs);

  const out = [...rows.values()].map((a) => a.row());
  if (!timed) out.sort((a, b) => b.created - a.created || b.solved - a.solved || (a.key < b.key ? -1 : 1));
  return {
    from: period.from,
    to: period.to,
    groupBy,
    businessCalendar: policy ? 'sla' : 'around-the-clock',
    totals: totals.row(),
    rows: out,
  };
}

const UNSOLVED: ReadonlySet<TicketStatus> = new Set(['open', 'pending', 'on_hold']);
const STOPPED: ReadonlySet<TicketStatus> = new Set(['solved', 'closed']);

/** The ticket's statuses as [from, to) spans: open from creation, then each recorded change. */
function* spans(f: TicketFacts): Generator<[TicketStatus, number, number]> {
  let status: TicketStatus = 'open';
  let from = f.createdMs;
  for (const [ms, next] of f.history) {
    yield [status, from, ms];
    [status, from] = [next, ms];
  }
  yield [status, from, Infinity];
}

/** In the backlog at `ms`: created before it and, just before it, open, pending or on hold. */
function unsolvedAt(f: TicketFacts, ms: number): boolean {
  if (f.createdMs >= ms) return false;
  for (const [status, a, b] of spans(f)) if (a < ms && ms <= b) return UNSOLVED.has(status);
  return false;
}

/** Day and week rows: the backlog at each row's end. */
function countBacklogByRow(f: TicketFacts, ends: number[], accs: TicketAcc[]): void {
  for (const [status, a, b] of spans(f)) {
    if (!UNSOLVED.has(status)) continue;
    for (let i = firstAbove(ends, a); i < ends.length && ends[i]! <= b; i++)
      accs[i]!.backlogAge(ends[i]! - f.createdMs);
  }
}

/** Where a day or week row's backlog is taken: its end, or the period's end (now at the latest) if sooner. */
function rowEnd(key: string, unit: 'day' | 'week', endMs: number): number {
  const end = Date.parse(`${key}T00:00:00Z`) + (unit === 'day' ? DAY_MS : 7 * DAY_MS);
  return Math.min(end, endMs);
}

/** The index of the first value > x in an ascending array. */
function firstAbove(xs: number[], x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid]! > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Reopens: the ticket left solved for open, pending or on hold (closing is not one); `withinWindow`: within 7 days of that solve. */
export function reopensOf(f: Pick<TicketFacts, 'history'>): { any: boolean; withinWindow: boolean } {
  let prev: TicketStatus = 'open';
  let solvedAt = 0;
  let any = false;
  let withinWindow = false;
  for (const [ms, status] of f.history) {
    if (status === 'solved') solvedAt = ms;
    else if (prev === 'solved' && UNSOLVED.has(status)) {
      any = true;
      if (ms - solvedAt <= FCR_REOPEN_WINDOW_MS) withinWindow = true;
    }
    prev = status;
  }
  return { any, withinWindow };
}

/**
 * Each SLA target's outcome, as computeSla decides it, at the instant it was
 * decided: met when the clock stopped (the first response; the solve),
 * breached when the target ran out. A clock still running or paused is
 * not decided and not counted.
 */
function countSla(
  f: TicketFacts,
  policy: SlaPolicy,
  now: number,
  clock: BusinessClock,
  count: (ms: number, name: 'firstResponse' | 'resolution', met: boolean) => void,
): void {
  const targets = targetsFor({ priority: f.priority, attributes: f.plan ? { plan: f.plan } : undefined }, policy);
  if (!targets.firstResponse && !targets.resolution) return;
  const iso = (ms: number) => new Date(ms).toISOString();
  const s = computeSla(
    {
      createdAt: iso(f.createdMs),
      status: f.status,
      statusHistory: f.history.map(([ms, status]) => ({ at: iso(ms), status })),
      ...(f.firstResponseMs !== undefined ? { firstResponseAt: iso(f.firstResponseMs) } : {}),
      priority: f.priority,
      ...(f.plan ? { attributes: { plan: f.plan } } : {}),
    },
    policy,
    new Date(now),
    clock,
  );
  const decide = (c: SlaClock | undefined, stoppedMs: number | undefined, name: 'firstResponse' | 'resolution') => {
    if (c?.state === 'breached' && c.dueAt) count(Date.parse(c.dueAt), name, false);
    else if (c?.state === 'met' && stoppedMs !== undefined) count(stoppedMs, name, true);
  };
  decide(s?.clocks.firstResponse, f.firstResponseMs ?? stoppedSince(f), 'firstResponse');
  decide(s?.clocks.resolution, stoppedSince(f), 'resolution');
}

/** When the ticket last became solved or closed and stayed so; undefined while it is not. */
function stoppedSince(f: TicketFacts): number | undefined {
  if (!STOPPED.has(f.status)) return undefined;
  let since: number | undefined;
  for (let i = f.history.length - 1; i >= 0 && STOPPED.has(f.history[i]![1]); i--) since = f.history[i]![0];
  return since;
}
