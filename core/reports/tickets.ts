import { tabulatedClock, type BusinessClock } from '../sla/businessClock.ts';
import {
  OPEN,
  runClocks,
  SOLVED,
  STATUS_CODE,
  targetsFor,
  type RawSlaClock,
  type SlaTimeline,
} from '../sla/computeSla.ts';
import type { SlaPolicy } from '../sla/slaPolicy.ts';
import { dayKey, periodKeys, weekKey } from './deflection.ts';
import { DAY_MS, type Period } from './outcomes.ts';
import { TicketColumns } from './ticketColumns.ts';
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
  facts: Iterable<TicketFacts> | TicketColumns,
  period: Pick<Period, 'from' | 'to'>,
  groupBy: TicketGroupBy,
  policy: SlaPolicy | undefined,
  now: number,
): TicketReport {
  const c = facts instanceof TicketColumns ? facts : TicketColumns.of(facts);
  const fromMs = Date.parse(period.from);
  const toMs = Date.parse(period.to);
  const endMs = Math.min(toMs, now);
  const timed = groupBy === 'day' || groupBy === 'week';
  const keyOfTime = groupBy === 'week' ? weekKey : dayKey;
  const { createdMs, firstResponseMs, solvedMs, status, histStart, histLen, histAt, histTo } = c;
  let earliest = fromMs;
  for (let i = 0; i < c.size; i++) if (createdMs[i]! < toMs && createdMs[i]! < earliest) earliest = createdMs[i]!;
  const clock = policy ? tabulatedClock(policy, earliest, Math.max(now, toMs) + AHEAD_MS) : AROUND_THE_CLOCK;

  const rows = new Map<string, TicketAcc>();
  if (timed) for (const k of periodKeys(fromMs, toMs, groupBy)) rows.set(k, new TicketAcc(k));
  const totals = new TicketAcc('(total)');
  const row = (key: string) => {
    let r = rows.get(key);
    if (!r) rows.set(key, (r = new TicketAcc(key)));
    return r;
  };
  // By a triage field: each dictionary code's row, looked up once rather than by its string per ticket.
  const keyCodes = timed ? undefined : c.keys[groupBy as TicketKeyName];
  const byCode: (TicketAcc | undefined)[] = [];
  const rowOfCode = (code: number) => (byCode[code] ??= row(c.dict.strings[code]!));
  // Each figure lands in the row of its own instant (day, week) or of the ticket's key.
  const at = (group: TicketAcc | undefined, ms: number) => group ?? row(keyOfTime(ms));
  const rowEnds = timed ? [...rows.keys()].map((k) => rowEnd(k, groupBy, endMs)) : [];
  const rowAccs = [...rows.values()];
  const targets = new Map<number, Targets>();
  // One timeline, pointed at each ticket's changes in turn: the SLA clocks read it, nothing is allocated per ticket.
  const tl: SlaTimeline = { createdMs: 0, status: 0, at: histAt, to: histTo, start: 0, end: 0, firstResponseMs: NaN };

  for (let i = 0; i < c.size; i++) {
    const created = createdMs[i]!;
    if (created >= toMs) continue;
    const hs = histStart[i]!;
    const he = hs + histLen[i]!;
    const st = status[i]!;
    // Solved or closed for good before the period: none of its instants falls in it.
    if (st >= SOLVED && (he > hs ? histAt[he - 1]! : created) < fromMs) continue;
    const group = keyCodes ? rowOfCode(keyCodes[i]!) : undefined;
    if (created >= fromMs) {
      at(group, created).created++;
      totals.created++;
    }
    // Absent times are NaN: every comparison with them is false.
    const fr = firstResponseMs[i]!;
    if (fr >= fromMs && fr < toMs) {
      const calendar = fr - created;
      const business = clock.between(created, fr);
      at(group, fr).firstResponse(business, calendar);
      totals.firstResponse(business, calendar);
    }
    const solved = solvedMs[i]!;
    if (solved >= fromMs && solved < toMs) {
      const reopens = reopensIn(histAt, histTo, hs, he);
      const calendar = solved - created;
      const business = clock.between(created, solved);
      const fcr = c.publicReplies[i]! <= 1 && reopens !== REOPENED_WITHIN_WINDOW;
      const windowOpen = fcr && solved + FCR_REOPEN_WINDOW_MS > now;
      const rating = c.rating[i] === 1 ? 'good' : c.rating[i] === 2 ? 'bad' : undefined;
      at(group, solved).solve(business, calendar, reopens !== NOT_REOPENED, fcr, windowOpen, rating);
      totals.solve(business, calendar, reopens !== NOT_REOPENED, fcr, windowOpen, rating);
    }
    if (policy) {
      const tg = targetsOf(c, i, policy, targets);
      if (tg.firstResponse || tg.resolution) {
        tl.createdMs = created;
        tl.status = st;
        tl.start = hs;
        tl.end = he;
        tl.firstResponseMs = fr;
        const clocks = runClocks(tl, tg, now, clock);
        const stopped = stoppedSince(st, histAt, histTo, hs, he);
        const frAt = decided(clocks.firstResponse, Number.isNaN(fr) ? stopped : fr);
        if (frAt !== undefined && frAt >= fromMs && frAt < toMs) {
          at(group, frAt).sla('firstResponse', clocks.firstResponse!.state === 'met');
          totals.sla('firstResponse', clocks.firstResponse!.state === 'met');
        }
        const res = decided(clocks.resolution, stopped);
        if (res !== undefined && res >= fromMs && res < toMs) {
          at(group, res).sla('resolution', clocks.resolution!.state === 'met');
          totals.sla('resolution', clocks.resolution!.state === 'met');
        }
      }
    }
    if (timed) countBacklogByRow(created, histAt, histTo, hs, he, rowEnds, rowAccs);
    if (unsolvedAt(created, histAt, histTo, hs, he, endMs)) {
      group?.backlogAge(endMs - created);
      totals.backlogAge(endMs - created);
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

/** In the backlog at `ms`: created before it and, just before it, open, pending or on hold. */
function unsolvedAt(
  createdMs: number,
  at: Float64Array,
  to: Uint8Array,
  start: number,
  end: number,
  ms: number,
): boolean {
  if (createdMs >= ms) return false;
  // The status of the last change before ms (changes at ms itself happen after it).
  let status = OPEN;
  for (let j = start; j < end && at[j]! < ms; j++) status = to[j]!;
  return status < SOLVED;
}

/** Day and week rows: the backlog at each row's end, over each span [from, to) the ticket was unsolved. */
function countBacklogByRow(
  createdMs: number,
  at: Float64Array,
  to: Uint8Array,
  start: number,
  end: number,
  ends: number[],
  accs: TicketAcc[],
): void {
  let status = OPEN;
  let from = createdMs;
  for (let i = start; i <= end; i++) {
    const until = i < end ? at[i]! : Infinity;
    if (status < SOLVED)
      for (let j = firstAbove(ends, from); j < ends.length && ends[j]! <= until; j++)
        accs[j]!.backlogAge(ends[j]! - createdMs);
    if (i === end) break;
    from = at[i]!;
    status = to[i]!;
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

const NOT_REOPENED = 0;
const REOPENED = 1;
const REOPENED_WITHIN_WINDOW = 2;

/** Reopens: the ticket left solved for open, pending or on hold (closing is not one); `withinWindow`: within 7 days of that solve. */
export function reopensOf(f: Pick<TicketFacts, 'history'>): { any: boolean; withinWindow: boolean } {
  const r = reopensIn(
    f.history.map(([ms]) => ms),
    f.history.map(([, s]) => STATUS_CODE[s]),
    0,
    f.history.length,
  );
  return { any: r !== NOT_REOPENED, withinWindow: r === REOPENED_WITHIN_WINDOW };
}

/** reopensOf over a flat history: NOT_REOPENED, REOPENED or REOPENED_WITHIN_WINDOW (no object per ticket). */
function reopensIn(at: ArrayLike<number>, to: ArrayLike<number>, start: number, end: number): number {
  let prev = OPEN;
  let solvedAt = 0;
  let r = NOT_REOPENED;
  for (let j = start; j < end; j++) {
    const status = to[j]!;
    if (status === SOLVED) solvedAt = at[j]!;
    else if (prev === SOLVED && status < SOLVED) {
      if (at[j]! - solvedAt <= FCR_REOPEN_WINDOW_MS) return REOPENED_WITHIN_WINDOW;
      r = REOPENED;
    }
    prev = status;
  }
  return r;
}

type Targets = ReturnType<typeof targetsFor>;

/** The SLA targets of row i's plan and priority, looked up once per pair and report. */
function targetsOf(c: TicketColumns, i: number, policy: SlaPolicy, cache: Map<number, Targets>): Targets {
  const priority = c.priority[i]!;
  const plan = c.plan[i]!;
  const key = priority * 0x1_0000_0000 + plan;
  let targets = cache.get(key);
  if (!targets) {
    const p = c.dict.strings[priority] as TicketFacts['priority'];
    const planName = c.dict.strings[plan];
    targets = targetsFor({ priority: p, attributes: planName ? { plan: planName } : undefined }, policy);
    cache.set(key, targets);
  }
  return targets;
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
function stoppedSince(
  status: number,
  at: Float64Array,
  to: Uint8Array,
  start: number,
  end: number,
): number | undefined {
  if (status < SOLVED) return undefined;
  let since: number | undefined;
  for (let j = end - 1; j >= start && to[j]! >= SOLVED; j--) since = at[j]!;
  return since;
}
