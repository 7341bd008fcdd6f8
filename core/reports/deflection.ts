import type { Article } from '../articles/types.ts';
import { ACTION } from './dayFacts.ts';
import { zeroCounts, type CountedDeflection, type DeflectionCounts } from './deflectionCounts.ts';
import { DAY_MS, ESCALATED, type Outcomes, type Period } from './outcomes.ts';
import { confirmed, notHelpful } from './verdicts.ts';

export const GROUP_BY = ['day', 'week', 'tag', 'category', 'article', 'lang', 'channel'] as const;
export type GroupBy = (typeof GROUP_BY)[number];

/** Counts per the definitions in docs/reports.md; every question is exactly one of selfServed, escalated, abandoned. */
export interface DeflectionRow extends DeflectionCounts {
  key: string;
  /** No article above the threshold: nothing was shown. */
  unanswered: number;
  deflectionRate: number;
  confirmedDeflectionRate: number;
}

export interface DeflectionReport {
  from: string;
  to: string;
  windowDays: number;
  groupBy: GroupBy;
  totals: DeflectionRow;
  rows: DeflectionRow[];
}

export const NONE = '(none)';
export const NOT_IN_KB = '(not in KB)';

/** Deflection counts and rates, in total and per group. */
export function deflectionReport(
  o: Outcomes,
  groupBy: GroupBy,
  articles: ReadonlyMap<string, Article>,
): DeflectionReport {
  const rows = new Map<string, Counter>();
  const row = (key: string) => {
    let r = rows.get(key);
    if (!r) rows.set(key, (r = new Counter(key)));
    return r;
  };
  const total = new Counter('total');
  const keysOf = questionKeys(o, groupBy, articles);
  const windowMs = o.period.windowDays * DAY_MS;
  for (let i = 0; i < o.q.t.length; i++) {
    const outcome = classify(o, i, windowMs);
    total.add(outcome);
    for (const k of keysOf(i)) row(k).add(outcome);
  }

  const fromMs = Date.parse(o.period.from);
  const toMs = Date.parse(o.period.to);
  const byTicketAttributes = groupBy === 'day' || groupBy === 'week' || groupBy === 'lang' || groupBy === 'channel';
  for (let k = 0; k < o.tickets.t.length; k++) {
    const t = o.tickets.t[k]!;
    if (t < fromMs || t >= toMs) continue;
    total.tickets++;
    if (!byTicketAttributes) continue;
    const key =
      groupBy === 'day'
        ? dayKey(t)
        : groupBy === 'week'
          ? weekKey(t)
          : (o.strings[groupBy === 'lang' ? o.tickets.lang[k]! : o.tickets.channel[k]!] ?? NONE);
    row(key).tickets++;
  }
  if (!byTicketAttributes) {
    // A ticket counts once per group it followed, however many of the group's questions it escalated.
    const seen = new Map<string, Set<number>>();
    for (let i = 0; i < o.q.t.length; i++) {
      const k = o.q.ticket[i]!;
      if (k < 0) continue;
      for (const key of keysOf(i)) {
        const s = seen.get(key) ?? new Set<number>();
        seen.set(key, s);
        if (!s.has(k)) {
          s.add(k);
          row(key).tickets++;
        }
      }
    }
  }

  return deflectionFromCounts(o.period, groupBy, {
    totals: total.counts(),
    rows: [...rows.values()].map((c) => ({ key: c.key, counts: c.counts() })),
  });
}

/** The report from counts, however they were made (this scan, or a store that counts itself): rates, a row for every day or week, order. */
export function deflectionFromCounts(period: Period, groupBy: GroupBy, counted: CountedDeflection): DeflectionReport {
  const rows = new Map(counted.rows.map((r) => [r.key, rowOf(r.key, r.counts)]));
  const fromMs = Date.parse(period.from);
  const toMs = Date.parse(period.to);
  if (groupBy === 'day' || groupBy === 'week') {
    for (const key of periodKeys(fromMs, toMs, groupBy)) if (!rows.has(key)) rows.set(key, rowOf(key, null));
  }
  const list = [...rows.values()];
  list.sort(
    groupBy === 'day' || groupBy === 'week'
      ? (a, b) => a.key.localeCompare(b.key)
      : (a, b) => b.questions - a.questions || a.key.localeCompare(b.key),
  );
  return {
    from: period.from,
    to: period.to,
    windowDays: period.windowDays,
    groupBy,
    totals: rowOf('total', counted.totals),
    rows: list,
  };
}

interface Outcome {
  answered: boolean;
  suggested: boolean;
  confirmed: boolean;
  notHelpful: boolean;
  escalated: boolean;
  reason: number;
  windowOpen: boolean;
}

/** One question, per the definitions. */
export function classify(o: Outcomes, i: number, windowMs: number): Outcome {
  const flags = o.q.flags[i]!;
  const answered = o.q.action[i] === ACTION.answer;
  const escalated = (flags & ESCALATED) !== 0;
  return {
    answered,
    suggested: !answered && o.q.shownCount[i]! > 0,
    confirmed: confirmed(flags),
    notHelpful: notHelpful(flags),
    escalated,
    reason: o.q.reason[i]!,
    windowOpen: !escalated && o.q.t[i]! + windowMs > o.now,
  };
}

class Counter {
  questions = 0;
  answered = 0;
  suggested = 0;
  confirmed = 0;
  notHelpful = 0;
  selfServed = 0;
  selfServedConfirmed = 0;
  escalated = 0;
  byReason = [0, 0, 0];
  abandoned = 0;
  windowOpen = 0;
  tickets = 0;
  constructor(readonly key: string) {}

  add(x: Outcome): void {
    this.questions++;
    if (x.answered) this.answered++;
    if (x.suggested) this.suggested++;
    if (x.confirmed) this.confirmed++;
    if (x.notHelpful) this.notHelpful++;
    if (x.escalated) {
      this.escalated++;
      this.byReason[x.reason]!++;
    } else if (x.answered || x.suggested) {
      this.selfServed++;
      if (x.confirmed) this.selfServedConfirmed++;
      if (x.windowOpen) this.windowOpen++;
    } else {
      this.abandoned++;
    }
  }

  counts(): DeflectionCounts {
    const { questions, answered, suggested, confirmed, notHelpful, selfServed, selfServedConfirmed } = this;
    const [escalatedByUser, escalatedAfterNotHelpful, escalatedNoAnswer] = this.byReason as [number, number, number];
    return {
      questions,
      answered,
      suggested,
      confirmed,
      notHelpful,
      selfServed,
      selfServedConfirmed,
      escalated: this.escalated,
      escalatedByUser,
      escalatedAfterNotHelpful,
      escalatedNoAnswer,
      abandoned: this.abandoned,
      windowOpen: this.windowOpen,
      tickets: this.tickets,
    };
  }
}

function rowOf(key: string, c: DeflectionCounts | null): DeflectionRow {
  const n = c ?? zeroCounts();
  return {
    key,
    questions: n.questions,
    answered: n.answered,
    suggested: n.suggested,
    unanswered: n.questions - n.answered - n.suggested,
    confirmed: n.confirmed,
    notHelpful: n.notHelpful,
    selfServed: n.selfServed,
    selfServedConfirmed: n.selfServedConfirmed,
    escalated: n.escalated,
    escalatedByUser: n.escalatedByUser,
    escalatedAfterNotHelpful: n.escalatedAfterNotHelpful,
    escalatedNoAnswer: n.escalatedNoAnswer,
    abandoned: n.abandoned,
    windowOpen: n.windowOpen,
    tickets: n.tickets,
    deflectionRate: rate(n.selfServed, n.questions),
    confirmedDeflectionRate: rate(n.selfServedConfirmed, n.questions),
  };
}

/** The group(s) of each question; tags overlap, so a question counts once under each of its article's tags. Arrays are cached per value: no allocation per question. */
function questionKeys(o: Outcomes, groupBy: GroupBy, articles: ReadonlyMap<string, Article>): (i: number) => string[] {
  const cache = new Map<number, string[]>();
  const cached = (k: number, make: () => string[]) => {
    let v = cache.get(k);
    if (!v) cache.set(k, (v = make()));
    return v;
  };
  switch (groupBy) {
    case 'day':
      return (i) => cached(Math.floor(o.q.t[i]! / DAY_MS), () => [dayKey(o.q.t[i]!)]);
    case 'week':
      return (i) => cached(Math.floor(o.q.t[i]! / DAY_MS), () => [weekKey(o.q.t[i]!)]);
    case 'lang':
      return (i) => cached(o.q.lang[i]!, () => [o.strings[o.q.lang[i]!] ?? NONE]);
    case 'channel':
      return (i) => cached(o.q.channel[i]!, () => [o.strings[o.q.channel[i]!] ?? NONE]);
    case 'article':
      return (i) => cached(o.q.article[i]!, () => [o.strings[o.q.article[i]!] ?? NONE]);
    case 'tag':
    case 'category':
      return (i) => cached(o.q.article[i]!, () => articleGroupKeys(o.strings[o.q.article[i]!], groupBy, articles));
  }
}

/** The tag or category groups a question about this article counts under (tags overlap). */
export function articleGroupKeys(
  id: string | undefined,
  groupBy: 'tag' | 'category',
  articles: ReadonlyMap<string, Article>,
): string[] {
  if (!id) return [NONE];
  const a = articles.get(id);
  if (!a) return [NOT_IN_KB];
  if (groupBy === 'category') return [a.category ?? NONE];
  return a.tags.length ? [...a.tags] : [NONE];
}

export function rate(part: number, whole: number): number {
  return whole ? Math.round((part / whole) * 10_000) / 10_000 : 0;
}

const dayCache = new Map<number, string>();
/** YYYY-MM-DD (UTC) of a time. */
export function dayKey(t: number): string {
  const d = Math.floor(t / DAY_MS);
  let s = dayCache.get(d);
  if (!s) {
    s = new Date(d * DAY_MS).toISOString().slice(0, 10);
    if (dayCache.size > 100_000) dayCache.clear();
    dayCache.set(d, s);
  }
  return s;
}

/** The Monday (UTC) of the ISO week of a time, as YYYY-MM-DD. */
export function weekKey(t: number): string {
  const d = Math.floor(t / DAY_MS);
  // Day 0 (1970-01-01) was a Thursday: shift so that Monday is 0.
  return dayKey((d - ((d + 3) % 7)) * DAY_MS);
}

export function* periodKeys(fromMs: number, toMs: number, unit: 'day' | 'week'): Generator<string> {
  const step = unit === 'day' ? DAY_MS : 7 * DAY_MS;
  const first = unit === 'day' ? Math.floor(fromMs / DAY_MS) * DAY_MS : Date.parse(`${weekKey(fromMs)}T00:00:00Z`);
  // Enough for a chart; a longer period still gets a row for every day with questions.
  let n = 0;
  for (let t = first; t < toMs && n < 2000; t += step, n++) yield unit === 'day' ? dayKey(t) : weekKey(t);
}
