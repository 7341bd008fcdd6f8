import type { TicketStatus } from '../contracts/api.ts';
import { tabulatedClock, type BusinessClock } from '../sla/businessClock.ts';
import { runClocks, targetsFor, type RawSlaClock } from '../sla/computeSla.ts';
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
  const list: TicketFacts[] = [];
  for (const f of facts) if (f.createdMs < toMs) list.push(f);
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
  // Each figure lands in the row of its own instant (day, week) or of the ticket's key.
  const at = (group: TicketAcc | undefined, ms: number) => group ?? row(keyOfTime(ms));
  const rowEnds = timed ? [...rows.keys()].map((k) => rowEnd(k, groupBy, endMs)) : [];
  const rowAccs = [...rows.values()];
  const targets: TargetsByPlan = new Map();

  for (const f of list) {
    // Solved or closed for good before the period: none of its instants falls in it.
    if (STOPPED.has(f.status) && (f.history.at(-1)?.[0] ?? f.createdMs) < fromMs) continue;
    const group = timed ? undefined : row(f.keys[groupBy as TicketKeyName]);
    if (f.createdMs >= fromMs) {
      at(group, f.createdMs).created++;
      totals.created++;
    }
    const fr = f.firstResponseMs;
    if (fr !== undefined && fr >= fromMs && fr < toMs) {
      const calendar = fr - f.createdMs;
      const business = clock.between(f.createdMs, fr);
      at(group, fr).firstResponse(business, calendar);
      totals.firstResponse(business, calendar);
    }
    const solved = f.solvedMs;
    if (solved !== undefined && solved >= fromMs && solved < toMs) {
      const reopens = reopensOf(f);
      const calendar = solved - f.createdMs;
      const business = clock.between(f.createdMs, solved);
      const fcr = f.publicReplies <= 1 && !reopens.withinWindow;
      const windowOpen = fcr && solved + FCR_REOPEN_WINDOW_MS > now;
      at(group, solved).solve(business, calendar, reopens.any, fcr, windowOpen, f.rating);
      totals.solve(business, calendar, reopens.any, fcr, windowOpen, f.rating);
    }
    if (policy) {
      const clocks = slaClocks(f, policy, targets, now, clock);
      if (clocks) {
        const fr = decided(clocks.firstResponse, f.firstResponseMs ?? stoppedSince(f));
        if (fr !== undefined && fr >= fromMs && fr < toMs) {
          at(group, fr).sla('firstResponse', clocks.firstResponse!.state === 'met');
          totals.sla('firstResponse', clocks.firstResponse!.state === 'met');
        }
        const res = decided(clocks.resolution, stoppedSince(f));
        if (res !== undefined && res >= fromMs && res < toMs) {
          at(group, res).sla('resolution', clocks.resolution!.state === 'met');
          totals.sla('resolution', clocks.resolution!.state === 'met');
        }
      }
    }
    if (timed) countBacklogByRow(f, rowEnds, rowAccs);
    if (unsolvedAt(f, endMs)) {
      group?.backlogAge(endMs - f.createdMs);
      totals.backlogAge(endMs - f.createdMs);
    }
  }

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

/** In the backlog at `ms`: created before it and, just before it, open, pending or on hold. */
function unsolvedAt(f: TicketFacts, ms: number): boolean {
  if (f.createdMs >= ms) return false;
  // The status of the last change before ms (changes at ms itself happen after it).
  let status: TicketStatus = 'open';
  for (const [at, next] of f.history) {
    if (at >= ms) break;
    status = next;
  }
  return UNSOLVED.has(status);
}

/** Day and week rows: the backlog at each row's end, over each span [from, to) the ticket was unsolved. */
function countBacklogByRow(f: TicketFacts, ends: number[], accs: TicketAcc[]): void {
  let status: TicketStatus = 'open';
  let from = f.createdMs;
  for (let i = 0; i <= f.history.length; i++) {
    const next = f.history[i];
    const to = next ? next[0] : Infinity;
    if (UNSOLVED.has(status))
      for (let j = firstAbove(ends, from); j < ends.length && ends[j]! <= to; j++)
        accs[j]!.backlogAge(ends[j]! - f.createdMs);
    if (!next) break;
    from = next[0];
    status = next[1];
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

/** The SLA targets of each plan and priority, looked up once per report. */
type TargetsByPlan = Map<string | undefined, Map<string | undefined, Targets>>;
type Targets = ReturnType<typeof targetsFor>;

/** The ticket's SLA clocks, as the SLA rules run them (core/sla/computeSla.ts); undefined when no target applies. */
function slaClocks(
  f: TicketFacts,
  policy: SlaPolicy,
  cache: TargetsByPlan,
  now: number,
  clock: BusinessClock,
): ReturnType<typeof runClocks> | undefined {
  let byPriority = cache.get(f.plan);
  if (!byPriority) cache.set(f.plan, (byPriority = new Map()));
  let targets = byPriority.get(f.priority);
  if (!targets) {
    targets = targetsFor({ priority: f.priority, attributes: f.plan ? { plan: f.plan } : undefined }, policy);
    byPriority.set(f.priority, targets);
  }
  if (!targets.firstResponse && !targets.resolution) return undefined;
  return runClocks(f, targets, now, clock);
}

/**
 * When an SLA target's outcome was decided, the instant it is counted at:
 * met when the clock stopped (the first response; the solve), breached when
 * the target ran out. A clock still running or paused is not decided (undefined).
 */
function decided(c: RawSlaClock | undefined, stoppedMs: number | undefined): number | undefined {
  if (c?.state === 'breached' && c.dueMs !== undefined) return c.dueMs;
  if (c?.state === 'met' && stoppedMs !== undefined) return stoppedMs;
  return undefined;
}

/** When the ticket last became solved or closed and stayed so; undefined while it is not. */
function stoppedSince(f: TicketFacts): number | undefined {
  if (!STOPPED.has(f.status)) return undefined;
  let since: number | undefined;
  for (let i = f.history.length - 1; i >= 0 && STOPPED.has(f.history[i]![1]); i--) since = f.history[i]![0];
  return since;
}
