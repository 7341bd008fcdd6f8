// DOM helpers. Everything is written with textContent and attributes, never
// HTML: report data (questions users typed, article titles) is untrusted.
import { el } from '../../web/dom.ts';
import { isStringKey, type Locale } from './i18n/index.ts';

/** The helpers every page shares (web/dom.ts), and this page's own. */
export { byId, el } from '../../web/dom.ts';

/** A table cell holding one element. */
export function cellWith(child: Node): HTMLTableCellElement {
  const td = el('td');
  td.append(child);
  return td;
}

/** A table body's one row saying there is nothing to show. */
export function emptyRow(body: HTMLTableSectionElement, text: string, columns: number): void {
  const cell = el('td', text, 'muted');
  cell.colSpan = columns;
  const row = el('tr');
  row.append(cell);
  body.replaceChildren(row);
}

/**
 * Words the static page: `data-i18n` sets an element's text, `data-i18n-alt`
 * and `data-i18n-label` its alt and aria-label. A name the tables lack is
 * shown as itself, so the mistake is visible (a spec checks there are none).
 */
export function applyStrings(doc: Document, locale: Locale): void {
  const word = (name: string | undefined) => (isStringKey(name) ? locale.t(name) : (name ?? ''));
  doc.documentElement.lang = locale.lang;
  doc.title = locale.t('pageTitle');
  for (const e of doc.querySelectorAll<HTMLElement>('[data-i18n]')) e.textContent = word(e.dataset.i18n);
  for (const e of doc.querySelectorAll<HTMLImageElement>('img[data-i18n-alt]')) e.alt = word(e.dataset.i18nAlt);
  for (const e of doc.querySelectorAll<HTMLElement>('[data-i18n-label]'))
    e.setAttribute('aria-label', word(e.dataset.i18nLabel));
}

/**
 * Puts a string with {placeholders} into an element, each placeholder as a
 * child from `parts` (e.g. role names in <strong>), the rest as text nodes.
 */
export function fillWith(element: HTMLElement, text: string, parts: Record<string, () => Node>): void {
  const doc = element.ownerDocument;
  element.replaceChildren(
    ...text
      .split(/(\{\w+\})/)
      .filter(Boolean)
      .map((piece) => {
        const make = parts[/^\{(\w+)\}$/.exec(piece)?.[1] ?? ''];
        return make ? make() : doc.createTextNode(piece);
      }),
  );
}
