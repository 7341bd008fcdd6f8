import { ValidationError } from '../errors.ts';
import { DAY_MS, type Period } from './outcomes.ts';

export interface PeriodInput {
  from?: string;
  to?: string;
  windowDays?: number;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
export const DEFAULT_DAYS = 30;

/**
 * The period a report covers. `from` and `to` are dates (YYYY-MM-DD, UTC) or
 * ISO times; a date `to` includes that whole day, an ISO `to` is exclusive.
 * Defaults: the last 30 days up to now.
 */
export function periodOf(input: PeriodInput, defaults: { windowDays: number; now: number }): Period {
  const to = input.to ? parseTime(input.to, 'to', true) : defaults.now;
  const from = input.from ? parseTime(input.from, 'from', false) : to - DEFAULT_DAYS * DAY_MS;
  if (from >= to)
    throw new ValidationError('from: must be before to', [{ field: 'from', message: 'must be before to' }]);
  return {
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    windowDays: input.windowDays ?? defaults.windowDays,
  };
}

/**
 * Where a range whose last bound is `to` ends (exclusive): a date
 * (YYYY-MM-DD, UTC) includes that whole day, so it ends at the next
 * midnight; an ISO time is the end itself. Used by every date range a client
 * sends (reports, the agents' ticket list).
 */
export function rangeEnd(to: string, field = 'to'): string {
  if (!DATE.test(to)) return to;
  return new Date(dayStart(to, field) + DAY_MS).toISOString();
}

function parseTime(value: string, field: string, isEnd: boolean): number {
  if (DATE.test(value)) return isEnd ? Date.parse(rangeEnd(value, field)) : dayStart(value, field);
  const t = /^\d{4}-\d{2}-\d{2}T/.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(t)) throw invalid(field);
  return t;
}

/** Midnight (UTC) starting a date that exists (2025-02-30 does not). */
function dayStart(value: string, field: string): number {
  const t = Date.parse(`${value}T00:00:00.000Z`);
  if (Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== value) throw invalid(field);
  return t;
}

function invalid(field: string): ValidationError {
  return new ValidationError(`${field}: must be a date (YYYY-MM-DD) or an ISO time`, [
    { field, message: 'must be a date (YYYY-MM-DD) or an ISO time' },
  ]);
}
