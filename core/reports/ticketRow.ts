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
    // Each series sorted once for both of its percentiles.
    const [frB, frC, resB, resC] = [this.frBusiness, this.frCalendar, this.resBusiness, this.resCalendar].map(sorted);
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
      firstResponseMedianBusinessHours: hours(percentileOfSorted(frB!, 0.5)),
      firstResponseP90BusinessHours: hours(percentileOfSorted(frB!, 0.9)),
      firstResponseMedianCalendarHours: hours(percentileOfSorted(frC!, 0.5)),
      firstResponseP90CalendarHours: hours(percentileOfSorted(frC!, 0.9)),
      resolutionMedianBusinessHours: hours(percentileOfSorted(resB!, 0.5)),
      resolutionP90BusinessHours: hours(percentileOfSorted(resB!, 0.9)),
      resolutionMedianCalendarHours: hours(percentileOfSorted(resC!, 0.5)),
      resolutionP90CalendarHours: hours(percentileOfSorted(resC!, 0.9)),
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
  return percentileOfSorted(sorted(values), p);
}

function percentileOfSorted(sorted: Float64Array, p: number): number | null {
  if (!sorted.length) return null;
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
}

function sorted(values: number[]): Float64Array {
  return Float64Array.from(values).sort();
}

function hours(ms: number | null): number | null {
  return ms === null ? null : Math.round((ms / HOUR_MS) * 100) / 100;
}

function rate(part: number, whole: number): number | null {
  return whole ? Math.round((part / whole) * 10_000) / 10_000 : null;
}
