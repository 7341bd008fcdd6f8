// Where listed questions would help most: the articles the engine is least
// sure of from their text alone, from the served index's calibration.
import type { DashboardResponse } from '../../../core/contracts/reports.ts';
import { el } from '../dom.ts';
import type { Locale } from '../i18n/index.ts';

/** One list item per article, weakest first, or a line saying there is nothing yet. */
export function renderWeakest(list: HTMLElement, rows: DashboardResponse['weakest'], L: Locale): void {
  if (!rows.length) return list.replaceChildren(el('li', L.t('noWeakest'), 'muted'));
  list.replaceChildren(
    ...rows.map((a) => {
      const item = el('li', a.title);
      item.dataset.article = a.articleId;
      return item;
    }),
  );
}
