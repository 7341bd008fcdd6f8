// Language of the agent inbox: its strings and Intl formats. Which language
// follows the dashboard's rule (?lang=, else the browser's, else English), so
// that rule is imported, not copied. No DOM at import time: specs load it in Node.
import type { Lang } from '../../../core/contracts/api.ts';
import {
  errorKeyOf,
  pick,
  resolveLang,
  toLang,
  type ServerError,
  type Values,
} from '../../../dashboard/src/i18n/index.ts';
import { en, type StringKey, type Strings } from './en.ts';
import { es } from './es.ts';

export { resolveLang, toLang };
export type { ServerError, StringKey };
const STRINGS: Record<Lang, Strings> = { en, es };

/** The inbox's words and formats in one language. */
export interface Locale {
  lang: Lang;
  t(key: StringKey, values?: Values): string;
  number(v: number): string;
  percent(v: number): string;
  /** An ISO time as a short date and time. */
  when(iso: string): string;
}

export function localeFor(lang: Lang): Locale {
  const table = STRINGS[lang];
  const plural = new Intl.PluralRules(lang);
  const number = new Intl.NumberFormat(lang, { maximumFractionDigits: 2 });
  const percent = new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 0 });
  const when = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' });
  const locale: Locale = {
    lang,
    t: (key, values = {}) => fill(pick(table[key], plural, values.n), values, number),
    number: (v) => number.format(v),
    percent: (v) => percent.format(v),
    when: (iso) => (Number.isNaN(Date.parse(iso)) ? iso : when.format(Date.parse(iso))),
  };
  return locale;
}

/** Whether a `data-i18n` name from the page is a string we have. */
export function isStringKey(name: string | undefined): name is StringKey {
  return name !== undefined && Object.prototype.hasOwnProperty.call(en, name);
}

/** Fills {name} with values; numbers are written in the locale; a missing value leaves its placeholder visible. */
function fill(text: string, values: Values, number: Intl.NumberFormat): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const v = values[name];
    if (v === undefined || v === null) return whole;
    return typeof v === 'number' ? number.format(v) : String(v);
  });
}

/** A server error in the page's language by its stable code; unknown codes keep the server's words. */
export function errorText(locale: Locale, error: ServerError | undefined, statusText = ''): string {
  const key = error ? errorKeyOf(error.code) : undefined;
  if (!error || !key) return error?.message || statusText;
  if (error.code === 'invalid_request') {
    const fields = Array.isArray(error.details)
      ? error.details.flatMap((d: unknown) =>
          typeof d === 'object' && d !== null && typeof (d as { field?: unknown }).field === 'string'
            ? [(d as { field: string }).field]
            : [],
        )
      : [];
    return fields.length ? locale.t(key, { fields: [...new Set(fields)].join(', ') }) : error.message || statusText;
  }
  return locale.t(key);
}
