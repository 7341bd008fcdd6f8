// Language of the reports page: which one, its strings, and Intl formats.
// No DOM at import time, so tests can load it in Node.
import { en } from './reports.en.js';
import { es } from './reports.es.js';

export const STRINGS = { en, es };
export const LANGS = ['en', 'es'];

/**
 * Picks the page language: `?lang=` in the URL, else the browser's languages,
 * else English. Anything we do not speak falls through, as in the widget
 * (widget/src/i18n/index.ts: the same rule, without the page-option step).
 */
export function resolveLang(search, browserLanguages) {
  const param = new URLSearchParams(search || '').get('lang');
  for (const candidate of [param, ...(browserLanguages || [])]) {
    const lang = toLang(candidate);
    if (lang) return lang;
  }
  return 'en';
}

function toLang(tag) {
  const base = String(tag || '')
    .trim()
    .toLowerCase()
    .split(/[-_]/)[0];
  return LANGS.includes(base) ? base : undefined;
}

/** The page's words and formats in one language. */
export function localeFor(lang) {
  const table = STRINGS[lang] || en;
  const plural = new Intl.PluralRules(lang);
  const number = new Intl.NumberFormat(lang, { maximumFractionDigits: 2 });
  const percent = new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 1 });
  const time = new Intl.DateTimeFormat(lang, { timeStyle: 'medium' });
  // Report dates are UTC days: formatted in UTC, or a day could shift west of Greenwich.
  const day = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeZone: 'UTC' });
  const locale = {
    lang,
    /** A string by key, its {placeholders} filled; `n` also picks the plural form. */
    t(key, values = {}) {
      const entry = table[key];
      const text = typeof entry === 'object' ? (entry[plural.select(values.n ?? 0)] ?? entry.other) : entry;
      return format(text, values, locale);
    },
    number: (v) => number.format(v),
    percent: (v) => percent.format(v),
    time: (d) => time.format(d),
    /** A YYYY-MM-DD day in this language; anything else (an empty date) as it is. */
    day: (s) => (/^\d{4}-\d{2}-\d{2}$/.test(s || '') ? day.format(Date.parse(`${s}T00:00:00Z`)) : s),
  };
  return locale;
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
};

/**
 * A server error (`{ code, message, details }`) in the page's language: the
 * server writes its messages in English, but its codes are stable. Unknown
 * codes keep the server's words, and no error at all the HTTP status text.
 */
export function errorText(locale, error, statusText) {
  const key = error && ERROR_KEYS[error.code];
  if (!key) return (error && error.message) || statusText || '';
  const details = error.details;
  if (error.code === 'conflict' && details && details.file) return locale.t('errorDraftExists', { file: details.file });
  if (error.code === 'forbidden' && details && details.needs && details.role)
    return locale.t('errorRole', { needs: details.needs, role: details.role });
  if (error.code === 'invalid_request' && Array.isArray(details) && details.length) {
    // The one rule about a period the dashboard can break with its own date fields.
    if (details.every((d) => d.message === 'must be before to')) return locale.t('errorPeriod');
    return locale.t(key, { fields: [...new Set(details.map((d) => d.field))].join(', ') });
  }
  return error.code === 'invalid_request' ? error.message || statusText || '' : locale.t(key);
}

/** Fills {name} with values; numbers are written in the locale. */
export function format(text, values, locale) {
  return String(text).replace(/\{(\w+)\}/g, (whole, name) => {
    const v = values[name];
    if (v === undefined || v === null) return whole;
    return typeof v === 'number' && locale ? locale.number(v) : String(v);
  });
}

/**
 * Words the static page: `data-i18n` sets an element's text, `data-i18n-alt`
 * and `data-i18n-label` its alt and aria-label. All by textContent/attributes,
 * never HTML.
 */
export function applyStrings(doc, locale) {
  doc.documentElement.lang = locale.lang;
  doc.title = locale.t('pageTitle');
  for (const e of doc.querySelectorAll('[data-i18n]')) e.textContent = locale.t(e.dataset.i18n);
  for (const e of doc.querySelectorAll('[data-i18n-alt]')) e.alt = locale.t(e.dataset.i18nAlt);
  for (const e of doc.querySelectorAll('[data-i18n-label]'))
    e.setAttribute('aria-label', locale.t(e.dataset.i18nLabel));
}

/**
 * Puts a string with {placeholders} into an element, each placeholder as a
 * child from `parts` (e.g. role names in <strong>), the rest as text nodes.
 */
export function fillWith(element, text, parts) {
  const doc = element.ownerDocument;
  element.replaceChildren(
    ...String(text)
      .split(/(\{\w+\})/)
      .filter(Boolean)
      .map((piece) => {
        const name = /^\{(\w+)\}$/.exec(piece)?.[1];
        return name && parts[name] ? parts[name]() : doc.createTextNode(piece);
      }),
  );
}
