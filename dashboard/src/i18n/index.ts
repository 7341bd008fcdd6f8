// Language of the dashboard: which one, its strings, and Intl formats.
// No DOM at import time, so specs can load it in Node.
import type { Lang } from '../../../core/contracts/api.ts';
import { en, type Entry, type StringKey, type Strings } from './en.ts';
import { es } from './es.ts';

export type { StringKey } from './en.ts';
export const STRINGS: Record<Lang, Strings> = { en, es };
export const LANGS: readonly Lang[] = ['en', 'es'];

/** Values for a string's {placeholders}; `n` also picks the plural form. */
export type Values = Record<string, string | number | null | undefined>;

/** The dashboard's words and formats in one language. */
export interface Locale {
  lang: Lang;
  /** A string by key, its {placeholders} filled; `n` also picks the plural form. */
  t(key: StringKey, values?: Values): string;
  number(v: number): string;
  percent(v: number): string;
  time(d: Date): string;
  /** A YYYY-MM-DD day in this language; anything else (an empty date) as it is. */
  day(s: string): string;
}

/**
 * Picks the page language: `?lang=` in the URL, else the browser's languages,
 * else English. Anything we do not speak falls through, as in the widget
 * (widget/src/i18n/index.ts: the same rule, without the page-option step).
 */
export function resolveLang(search: string, browserLanguages: readonly string[] = []): Lang {
  const param = new URLSearchParams(search).get('lang');
  for (const candidate of [param, ...browserLanguages]) {
    const lang = toLang(candidate);
    if (lang) return lang;
  }
  return 'en';
}

/** The language of a tag such as es-MX or ES_es, when we speak it. */
export function toLang(tag: string | null | undefined): Lang | undefined {
  const base = (tag ?? '').trim().toLowerCase().split(/[-_]/)[0];
  return LANGS.find((l) => l === base);
}

/** Whether a `data-i18n` name from the page is a string we have. */
export function isStringKey(name: string | undefined): name is StringKey {
  return name !== undefined && hasOwn(en, name);
}

/** The page's words and formats in one language. */
export function localeFor(lang: Lang): Locale {
  const table: Strings = STRINGS[lang];
  const plural = new Intl.PluralRules(lang);
  const number = new Intl.NumberFormat(lang, { maximumFractionDigits: 2 });
  const percent = new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 1 });
  const time = new Intl.DateTimeFormat(lang, { timeStyle: 'medium' });
  // Report dates are UTC days: formatted in UTC, or a day could shift west of Greenwich.
  const day = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeZone: 'UTC' });
  const locale: Locale = {
    lang,
    t: (key, values = {}) => format(pick(table[key], plural, values.n), values, locale),
    number: (v) => number.format(v),
    percent: (v) => percent.format(v),
    time: (d) => time.format(d),
    day: (s) => (/^\d{4}-\d{2}-\d{2}$/.test(s) ? day.format(Date.parse(`${s}T00:00:00Z`)) : s),
  };
  return locale;
}

/** The plural form for `n` (Spanish says "many" for millions: that is written as "other"). Shared with the agent inbox. */
export function pick(entry: Entry, plural: Intl.PluralRules, n: Values[string]): string {
  if (typeof entry === 'string') return entry;
  return plural.select(typeof n === 'number' ? n : 0) === 'one' ? entry.one : entry.other;
}

const ERROR_KEYS = {
  unauthorized: 'errorUnauthorized',
  forbidden: 'errorForbidden',
  invalid_request: 'errorInvalidRequest',
  not_found: 'errorNotFound',
  conflict: 'errorConflict',
  rate_limited: 'errorRateLimited',
  unavailable: 'errorUnavailable',
  internal: 'errorInternal',
} as const;
export type ErrorKey = (typeof ERROR_KEYS)[keyof typeof ERROR_KEYS];

/** The string a page words a server error code with (the dashboard's and the inbox's tables both hold them), or undefined. */
export function errorKeyOf(code: string): ErrorKey | undefined {
  return hasOwn(ERROR_KEYS, code) ? ERROR_KEYS[code as keyof typeof ERROR_KEYS] : undefined;
}

/** A server error as it arrives: `ErrorResponse['error']` in core/contracts, whose details vary by code. */
export interface ServerError {
  code: string;
  message: string;
  details?: unknown;
}

/**
 * A server error in the page's language: the server writes its messages in
 * English, but its codes are stable. Unknown codes keep the server's words,
 * and no error at all the HTTP status text.
 */
export function errorText(locale: Locale, error: ServerError | undefined, statusText = ''): string {
  const key = error ? errorKeyOf(error.code) : undefined;
  if (!error || !key) return error?.message || statusText;
  const details = error.details;
  if (error.code === 'conflict' && hasStrings(details, 'file'))
    return locale.t('errorDraftExists', { file: details.file });
  if (error.code === 'forbidden' && hasStrings(details, 'needs', 'role'))
    return locale.t('errorRole', { needs: details.needs, role: details.role });
  if (error.code === 'invalid_request' && Array.isArray(details) && details.length) {
    const problems = details.filter((d): d is { field: string; message: string } => hasStrings(d, 'field', 'message'));
    // The one rule about a period the dashboard can break with its own date fields.
    if (problems.length === details.length && problems.every((d) => d.message === 'must be before to'))
      return locale.t('errorPeriod');
    return locale.t(key, { fields: [...new Set(problems.map((d) => d.field))].join(', ') });
  }
  return error.code === 'invalid_request' ? error.message || statusText : locale.t(key);
}

/** Object.hasOwn, which the oldest browsers the bundle targets (Chrome 80, Safari 14.1) lack. */
function hasOwn(object: object, name: string): boolean {
  return Object.prototype.hasOwnProperty.call(object, name);
}

/** Whether `value` is an object with a string under each of `names`. */
function hasStrings<K extends string>(value: unknown, ...names: K[]): value is Record<K, string> {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return names.every((n) => typeof record[n] === 'string');
}

/** Fills {name} with values; numbers are written in the locale. */
export function format(text: string, values: Values, locale?: Locale): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const v = values[name];
    if (v === undefined || v === null) return whole;
    return typeof v === 'number' && locale ? locale.number(v) : String(v);
  });
}
