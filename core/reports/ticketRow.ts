import { DAY_MS } from './outcomes.ts';

/**
 * One row of the tickets report (a day, a week, a category, an agent… or the
 * total), flat so that the CSV is the row itself. Definitions: docs/reports.md,
 * "Tickets". Times are hours with two decimals, rates four decimals; null
 * where nothing was measured.
 */
export interface TicketRow {
  key: string;
  created: number;
  solved: number;
  /** Open, pending or on hold at the end of the period (by day or week: of the row), by age. */
  backlog: number;
  backlogUnder1d: number;
  backlog1to3d: number;
  backlog3to7d: number;
  backlog7to30d: number;
  backlogOver30d: number;
  firstResponses: number;
  firstResponseMedianBusinessHours: number | null;
  firstResponseP90BusinessHours: number | null;
  firstResponseMedianCalendarHours: number | null;
  firstResponseP90CalendarHours: number | null;
  resolutionMedianBusinessHours: number | null;
  resolutionP90BusinessHours: number | null;
  resolutionMedianCalendarHours: number | null;
  resolutionP90CalendarHours: number | null;
  slaFirstResponseMeasured: number;
  slaFirstResponseMet: number;
  slaFirstResponseBreached: number;
  slaFirstResponseRate: number | null;
  slaResolutionMeasured: number;
  slaResolutionMet: number;
  slaResolutionBreached: number;
  slaResolutionRate: number | null;
  reopened: number;
  reopenRate: number | null;
  firstContactResolved: number;
  firstContactResolutionRate: number | null;
  /** Counted as first-contact resolved, solved less than 7 days ago: a reopen may still take it back. */
  firstContactWindowOpen: number;
  ratings: number;
  satisfied: number;
  satisfiedRate: number | null;
}

const HOUR_MS = 3_600_000;
/** Upper bounds of the backlog's age buckets: < 1 d, 1–3 d, 3–7 d, 7–30 d, ≥ 30 d. */
const AGE_BOUNDS = [1, 3, 7, 30].map((d) => d * DAY_MS);

/** A row being counted. */
export class TicketAcc {
  created = 0;
  solved = 0;
  private readonly ages = [0, 0, 0, 0, 0];
  private readonly frBusiness: number[] = [];
  private readonly frCalendar: number[] = [];
  private readonly resBusiness: number[] = [];
  private readonly resCalendar: number[] = [];
  private readonly slaCounts = { firstResponse: [0, 0], resolution: [0, 0] };
  private reopened = 0;
  private fcr = 0;
  private fcrOpen = 0;
  private good = 0;
  private bad = 0;

  constructor(readonly key: string) {}

  firstResponse(businessMs: number, calendarMs: number): void {
    this.frBusiness.push(businessMs);
    this.frCalendar.push(calendarMs);
  }

  solve(
    businessMs: number,
    calendarMs: number,
    reopened: boolean,
    fcr: boolean,
    fcrWindowOpen: boolean,
    rating?: 'good' | 'bad',
  ): void {
    this.solved++;
    this.resBusiness.push(businessMs);
    this.resCalendar.push(calendarMs);
    if (reopened) this.reopened++;
    if (fcr) this.fcr++;
    if (fcrWindowOpen) this.fcrOpen++;
    if (rating === 'good') this.good++;
    else if (rating === 'bad') this.bad++;
  }

  sla(name: 'firstResponse' | 'resolution', met: boolean): void {
    this.slaCounts[name][met ? 0 : 1]!++;
  }

  backlogAge(ageMs: number): void {
    let i = 0;
    while (i < AGE_BOUNDS.length && ageMs >= AGE_BOUNDS[i]!) i++;
    this.ages[i]!++;
  }

  row(): TicketRow {
    const [fm, fb] = this.slaCounts.firstResponse as [number, number];
    const [rm, rb] = this.slaCounts.resolution as [number, number];
    const [a0, a1, a2, a3, a4] = this.ages as [number, number, number, number, number];
    const ratings = this.good + this.bad;
    const [frB, frC, resB, resC] = [this.frBusiness, this.frCalendar, this.resBusiness, this.resCalendar].map(
      medianAndP90,
    );
    return {
      key: this.key,
      created: this.created,
      solved: this.solved,
      backlog: a0 + a1 + a2 + a3 + a4,
      backlogUnder1d: a0,
      backlog1to3d: a1,
      backlog3to7d: a2,
      backlog7to30d: a3,
      backlogOver30d: a4,
      firstResponses: this.frBusiness.length,
      firstResponseMedianBusinessHours: hours(frB![0]),
      firstResponseP90BusinessHours: hours(frB![1]),
      firstResponseMedianCalendarHours: hours(frC![0]),
      firstResponseP90CalendarHours: hours(frC![1]),
      resolutionMedianBusinessHours: hours(resB![0]),
      resolutionP90BusinessHours: hours(resB![1]),
      resolutionMedianCalendarHours: hours(resC![0]),
      resolutionP90CalendarHours: hours(resC![1]),
      slaFirstResponseMeasured: fm + fb,
      slaFirstResponseMet: fm,
      slaFirstResponseBreached: fb,
      slaFirstResponseRate: rate(fm, fm + fb),
      slaResolutionMeasured: rm + rb,
      slaResolutionMet: rm,
      slaResolutionBreached: rb,
      slaResolutionRate: rate(rm, rm + rb),
      reopened: this.reopened,
      reopenRate: rate(this.reopened, this.solved),
      firstContactResolved: this.fcr,
      firstContactResolutionRate: rate(this.fcr, this.solved),
      firstContactWindowOpen: this.fcrOpen,
      ratings,
      satisfied: this.good,
      satisfiedRate: rate(this.good, ratings),
    };
  }
}

/** Nearest rank: the smallest value with at least p of the values at or below it (always a measured value). */
export function percentile(values: number[], p: number): number | null {
  return nearestRank(Float64Array.from(values), p, 0);
}

/** A series' median and p90 (nearest rank), null when it is empty. */
function medianAndP90(values: number[]): [number | null, number | null] {
  const xs = Float64Array.from(values);
  const median = nearestRank(xs, 0.5, 0);
  // The median's selection left every value from its rank on at or above it: the p90 is found among those.
  return [median, nearestRank(xs, 0.9, Math.max(0, Math.ceil(0.5 * xs.length) - 1))];
}

/**
 * The value at rank ceil(p·n) of xs in ascending order (NaN last, as a sort
 * puts it), found by selection rather than a full sort: a report's series
 * hold up to one value per ticket, and sorting them was a fifth of its time.
 * Reorders xs; `from`: a rank below which every value is known to be no larger.
 */
function nearestRank(xs: Float64Array, p: number, from: number): number | null {
  if (!xs.length) return null;
  const k = Math.max(0, Math.ceil(p * xs.length) - 1);
  // NaN compares false with everything: moved past the numbers first, as Float64Array.prototype.sort does.
  let numbers = xs.length;
  for (let i = from; i < numbers;)
    if (Number.isNaN(xs[i]!)) swap(xs, i, --numbers);
    else i++;
  if (k >= numbers) return NaN;
  select(xs, k, from, numbers - 1);
  return xs[k]!;
}

/** Hoare's selection: afterwards xs[k] holds the value of rank k in lo..hi, smaller ones before it, larger after. */
function select(xs: Float64Array, k: number, lo: number, hi: number): void {
  while (lo < hi) {
    const pivot = xs[(lo + hi) >>> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (xs[i]! < pivot) i++;
      while (xs[j]! > pivot) j--;
      if (i <= j) swap(xs, i++, j--);
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}

function swap(xs: Float64Array, i: number, j: number): void {
  const x = xs[i]!;
  xs[i] = xs[j]!;
  xs[j] = x;
}

function hours(ms: number | null): number | null {
  return ms === null ? null : Math.round((ms / HOUR_MS) * 100) / 100;
}

function rate(part: number, whole: number): number | null {
  return whole ? Math.round((part / whole) * 10_000) / 10_000 : null;
}
