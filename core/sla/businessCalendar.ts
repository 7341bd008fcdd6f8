import { WEEKDAYS, type BusinessCalendar } from './slaPolicy.ts';

const DAY_MS = 86_400_000;
/** How far ahead a walk looks for working time: a calendar with none left (all holidays) ends the walk. */
const HORIZON_DAYS = 3 * 366;

/**
 * Business time in a time zone, with Intl (no time-zone package): working
 * periods per weekday, holidays skipped, and each local period turned into
 * UTC instants with the offset in force then, so a period on the day the
 * clocks change is as long as the wall clock says.
 */
export function* workingPeriods(cal: BusinessCalendar, fromMs: number): Generator<[number, number]> {
  const holidays = new Set(cal.holidays);
  let { y, m, d } = localDate(fromMs, cal.timezone);
  for (let i = 0; i < HORIZON_DAYS; i++) {
    const date = `${y}-${pad(m)}-${pad(d)}`;
    const weekday = WEEKDAYS[new Date(Date.UTC(y, m - 1, d)).getUTCDay()]!;
    const periods = cal.hours ? cal.hours[weekday] : [{ from: 0, to: 24 * 60 }];
    if (!holidays.has(date))
      for (const p of merged(periods)) {
        const start = Math.max(fromMs, zonedToUtc(y, m, d, p.from, cal.timezone));
        const end = zonedToUtc(y, m, d, p.to, cal.timezone);
        if (end > start) yield [start, end];
      }
    const next = new Date(Date.UTC(y, m - 1, d) + DAY_MS);
    [y, m, d] = [next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate()];
  }
}

/** Business milliseconds between two instants. */
export function businessMsBetween(cal: BusinessCalendar, fromMs: number, toMs: number): number {
  let total = 0;
  if (toMs <= fromMs) return 0;
  for (const [s, e] of workingPeriods(cal, fromMs)) {
    if (s >= toMs) break;
    total += Math.min(e, toMs) - s;
  }
  return total;
}

/** The instant `ms` business milliseconds after `fromMs` (at `fromMs` itself for 0), or undefined past the horizon. */
export function addBusinessMs(cal: BusinessCalendar, fromMs: number, ms: number): number | undefined {
  let left = ms;
  for (const [s, e] of workingPeriods(cal, fromMs)) {
    if (left <= e - s) return s + left;
    left -= e - s;
  }
  return undefined;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function parts(ms: number, timeZone: string): Record<string, number> {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  const out: Record<string, number> = {};
  for (const p of f.formatToParts(ms)) if (p.type !== 'literal') out[p.type] = Number(p.value);
  return out;
}

function localDate(ms: number, timeZone: string): { y: number; m: number; d: number } {
  const p = parts(ms, timeZone);
  return { y: p.year!, m: p.month!, d: p.day! };
}

/** The zone's offset from UTC at an instant, in ms. */
function offsetAt(ms: number, timeZone: string): number {
  const p = parts(ms, timeZone);
  const asUtc = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/**
 * The UTC instant of a local wall time. A time the clocks skip (02:30 when
 * they jump to 03:00) maps forward; a time they repeat maps to its first.
 */
function zonedToUtc(y: number, m: number, d: number, minutes: number, timeZone: string): number {
  const wall = Date.UTC(y, m - 1, d) + minutes * 60_000;
  const first = wall - offsetAt(wall, timeZone);
  const second = wall - offsetAt(first, timeZone);
  return Math.min(first, second);
}

function merged(periods: { from: number; to: number }[]): { from: number; to: number }[] {
  const out: { from: number; to: number }[] = [];
  for (const p of periods) {
    const last = out[out.length - 1];
    if (last && p.from <= last.to) last.to = Math.max(last.to, p.to);
    else out.push({ ...p });
  }
  return out;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
