import { addBusinessMs, businessMsBetween, workingPeriods } from './businessCalendar.ts';
import type { BusinessCalendar } from './slaPolicy.ts';

/** Business-time arithmetic on one calendar: what computeSla and the tickets report ask. */
export interface BusinessClock {
  /** Business milliseconds between two instants (0 when `toMs` is not after `fromMs`). */
  between(fromMs: number, toMs: number): number;
  /** The instant `ms` business milliseconds after `fromMs`, or undefined past the calendar's horizon. */
  add(fromMs: number, ms: number): number | undefined;
}

/** The walk of businessCalendar.ts itself, one call at a time: right for a single ticket. */
export function walkingClock(cal: BusinessCalendar): BusinessClock {
  return { between: (a, b) => businessMsBetween(cal, a, b), add: (a, ms) => addBusinessMs(cal, a, ms) };
}

/**
 * The same answers as walkingClock, for many tickets at once: the working
 * periods between `fromMs` and `toMs` are walked once (the time-zone work,
 * a few Intl calls per day, is what costs) and kept with their running
 * totals, so each question is two binary searches. Outside that range it
 * falls back to the walk.
 */
export function tabulatedClock(cal: BusinessCalendar, fromMs: number, toMs: number): BusinessClock {
  const starts: number[] = [];
  const ends: number[] = [];
  /** before[i]: business ms in periods 0..i-1. */
  const before: number[] = [];
  let sum = 0;
  for (const [s, e] of workingPeriods(cal, fromMs)) {
    if (s >= toMs) break;
    starts.push(s);
    ends.push(e);
    before.push(sum);
    sum += e - s;
  }
  const walk = walkingClock(cal);
  const covered = (ms: number) => ms >= fromMs && ms <= toMs && starts.length > 0;

  /** Business ms from `fromMs` (the table's start) to `ms`. */
  const upTo = (ms: number): number => {
    // The last period starting at or before ms.
    let lo = 0;
    let hi = starts.length - 1;
    if (ms < starts[0]!) return 0;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= ms) lo = mid;
      else hi = mid - 1;
    }
    return before[lo]! + Math.min(ms, ends[lo]!) - starts[lo]!;
  };

  return {
    between(a, b) {
      if (b <= a) return 0;
      if (!covered(a) || !covered(b)) return walk.between(a, b);
      return upTo(b) - upTo(a);
    },
    add(a, ms) {
      if (!covered(a)) return walk.add(a, ms);
      const target = upTo(a) + ms;
      // The first period whose running total reaches the target; for 0 ms, the first with time left
      // (as the walk: at a period's end, the answer is the next period's start). Inline, not a
      // closure: the report asks this of every ticket, and a closure per call is what it cost.
      let lo = 0;
      let hi = starts.length - 1;
      if (!reaches(before, starts, ends, hi, ms, target)) return walk.add(a, ms);
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (reaches(before, starts, ends, mid, ms, target)) hi = mid;
        else lo = mid + 1;
      }
      return Math.max(a, starts[lo]! + (target - before[lo]!));
    },
  };
}

/** Whether the running total at the end of period i reaches `target` (for 0 ms: passes it). */
function reaches(before: number[], starts: number[], ends: number[], i: number, ms: number, target: number): boolean {
  const total = before[i]! + ends[i]! - starts[i]!;
  return ms > 0 ? total >= target : total > target;
}
