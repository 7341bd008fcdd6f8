// DOM helpers. Everything is written with textContent and attributes, never
// HTML: tickets hold what customers typed, which is untrusted.
import { el } from '../../web/dom.ts';
import { isStringKey, type Locale } from './i18n/index.ts';

/** The helpers every page shares (web/dom.ts), and this page's own. */
export { byId, el } from '../../web/dom.ts';

/** A select's options, replaced: [value, label] pairs, keeping the chosen value when it is still there. */
export function setOptions(select: HTMLSelectElement, options: Array<[string, string]>, chosen = select.value): void {
  select.replaceChildren(
    ...options.map(([value, label]) => {
      const o = el('option', label);
      o.value = value;
      return o;
    }),
  );
  if (options.some(([v]) => v === chosen)) select.value = chosen;
}

/**
 * Words the static page: `data-i18n` sets an element's text, `data-i18n-label`
 * its aria-label, `data-i18n-placeholder` its placeholder. A name the tables
 * lack is shown as itself, so the mistake is visible (a spec checks there are none).
 */
export function applyStrings(doc: Document, locale: Locale): void {
  const word = (name: string | undefined) => (isStringKey(name) ? locale.t(name) : (name ?? ''));
  doc.documentElement.lang = locale.lang;
  doc.title = locale.t('pageTitle');
  for (const e of doc.querySelectorAll<HTMLElement>('[data-i18n]')) e.textContent = word(e.dataset.i18n);
  for (const e of doc.querySelectorAll<HTMLElement>('[data-i18n-label]'))
    e.setAttribute('aria-label', word(e.dataset.i18nLabel));
}
