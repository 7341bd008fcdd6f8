import { z } from 'zod';

/** The SLA file at the KB's root, loaded like `_routing.yml`. */
export const SLA_FILE = '_sla.yml';

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const HM = /^([01]\d|2[0-3]):([0-5]\d)$|^24:00$/;
const minutesOf = (hm: string) => Number(hm.slice(0, 2)) * 60 + Number(hm.slice(3, 5));

/** "09:00-13:00": a working period of a day, local time. */
const period = z
  .string()
  .trim()
  .transform((s, ctx) => {
    const [from, to] = s.split('-').map((x) => x.trim());
    if (!from || !to || !HM.test(from) || !HM.test(to) || minutesOf(from) >= minutesOf(to)) {
      ctx.addIssue({ code: 'custom', message: `"${s}" must be a period such as 09:00-13:00 (start before end)` });
      return z.NEVER;
    }
    return { from: minutesOf(from), to: minutesOf(to) };
  });

/** "1h", "30m", "2h30m": business time. Days are left out on purpose: a business day's length is the calendar's. */
const duration = z
  .string()
  .trim()
  .transform((s, ctx) => {
    const m = /^(?:(\d+)h)?\s*(?:(\d+)m)?$/.exec(s);
    const ms = m && (m[1] || m[2]) ? (Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0)) * 60_000 : 0;
    if (!ms) {
      ctx.addIssue({
        code: 'custom',
        message: `"${s}" must be a duration in hours and minutes such as 4h, 30m, 1h30m`,
      });
      return z.NEVER;
    }
    return ms;
  });

const targets = z.strictObject({ firstResponse: duration.optional(), resolution: duration.optional() });
const priorities = z.partialRecord(z.enum(['P1', 'P2', 'P3', 'P4']), targets);
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD');

/** Days → periods: keys are days (mon) or ranges of days (mon-fri). */
const hours = z.record(z.string(), z.array(period)).transform((rec, ctx) => {
  const week: Record<Weekday, { from: number; to: number }[]> = {
    sun: [],
    mon: [],
    tue: [],
    wed: [],
    thu: [],
    fri: [],
    sat: [],
  };
  for (const [key, periods] of Object.entries(rec)) {
    const [a, b = a] = key.split('-').map((k) => k.trim().toLowerCase()) as [Weekday, Weekday?];
    const i = WEEKDAYS.indexOf(a);
    const j = WEEKDAYS.indexOf(b!);
    if (i < 0 || j < 0) {
      ctx.addIssue({ code: 'custom', path: [key], message: `"${key}" must be a day (mon…sun) or a range (mon-fri)` });
      continue;
    }
    for (let d = i; ; d = (d + 1) % 7) {
      week[WEEKDAYS[d]!].push(...periods);
      if (d === j) break;
    }
  }
  for (const day of WEEKDAYS) week[day].sort((x, y) => x.from - y.from);
  return week;
});

export const slaSchema = z
  .strictObject({
    /** IANA time zone of the business hours and holidays. */
    timezone: z
      .string()
      .default('UTC')
      .refine((tz) => {
        try {
          new Intl.DateTimeFormat('en', { timeZone: tz });
          return true;
        } catch {
          return false;
        }
      }, 'is not a time zone Intl knows (e.g. Europe/Madrid)'),
    /** Working periods per day; absent: around the clock. */
    hours: hours.optional(),
    holidays: z.array(isoDate).default([]),
    /** Share of a target after which the ticket shows `warning` (and the sla.warning webhook goes out). */
    warningAt: z.number().gt(0).lt(1).default(0.8),
    targets: priorities,
    /** Targets for a plan (the verified user's `plan` attribute), over the general ones. */
    plans: z.record(z.string().trim().min(1), priorities).default({}),
  })
  .refine((p) => !p.hours || Object.values(p.hours).some((d) => d.length), {
    message: 'hours must give at least one working period',
    path: ['hours'],
  });

export type SlaPolicy = z.infer<typeof slaSchema>;
export type BusinessCalendar = Pick<SlaPolicy, 'timezone' | 'hours' | 'holidays'>;
