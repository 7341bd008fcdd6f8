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
  if (from >= to) throw new ValidationError('from: must be before to', [{ field: 'from', message: 'must be before to' }]);
  return { from: new Date(from).toISOString(), to: new Date(to).toISOString(), windowDays: input.windowDays ?? defaults.windowDays };
}

function parseTime(value: string, field: string, endOfDay: boolean): number {
  const t = DATE.test(value) ? Date.parse(`${value}T00:00:00.000Z`) + (endOfDay ? DAY_MS : 0) : /^\d{4}-\d{2}-\d{2}T/.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(t) || (DATE.test(value) && new Date(Date.parse(`${value}T00:00:00Z`)).toISOString().slice(0, 10) !== value)) {
    throw new ValidationError(`${field}: must be a date (YYYY-MM-DD) or an ISO time`, [{ field, message: 'must be a date (YYYY-MM-DD) or an ISO time' }]);
  }
  return t;
}
