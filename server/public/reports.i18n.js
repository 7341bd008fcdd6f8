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
  const base = String(tag || '').trim().toLowerCase().split(/[-_]/)[0];
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
  for (const e of doc.querySelectorAll('[data-i18n-label]')) e.setAttribute('aria-label', locale.t(e.dataset.i18nLabel));
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
