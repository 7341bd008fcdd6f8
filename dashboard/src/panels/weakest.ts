// Where listed questions would help most: the articles the engine is least
// sure of from their text alone, from the served index's calibration, under
// the KB's estimated self-service coverage from the same build.
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

/** The estimated coverage as one sentence (data-answered/data-offered keep the shares for scripts), or why there is none. */
export function renderCoverage(line: HTMLElement, c: DashboardResponse['coverage'], L: Locale): void {
  if (!c) {
    line.className = 'muted';
    line.textContent = L.t('noCoverage');
    delete line.dataset.answered;
    delete line.dataset.offered;
    return;
  }
  line.className = '';
  line.dataset.answered = String(c.answered);
  line.dataset.offered = String(c.offered);
  line.textContent = L.t('coverageFigure', {
    answered: L.percent(c.answered),
    offered: L.percent(c.offered),
    probes: L.number(c.probes),
    articles: L.number(c.articles),
    date: L.day(c.builtAt.slice(0, 10)),
  });
}
