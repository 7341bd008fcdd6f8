// The article health panel: articles that need attention (overdue review,
// more "not helpful" than "helped", tickets after them).
import type { ArticleRowResponse } from '../../../core/contracts/reports.ts';
import { el, emptyRow } from '../dom.ts';
import type { Locale } from '../i18n/index.ts';

/** One row per article needing attention, or a row saying all is well. */
export function renderHealth(body: HTMLTableSectionElement, rows: ArticleRowResponse[], L: Locale): void {
  if (!rows.length) return emptyRow(body, L.t('allHealthy'), 7);
  body.replaceChildren(
    ...rows.map((a) => {
      const review = a.reviewBy
        ? a.reviewOverdue
          ? L.t('overdue', { date: L.day(a.reviewBy) })
          : L.day(a.reviewBy)
        : '—';
      const row = el('tr');
      row.append(
        el('td', a.title || a.articleId),
        el('td', L.number(a.shown), 'num'),
        el('td', L.number(a.confirmed), 'num'),
        el('td', L.number(a.notHelpful), a.notHelpful > a.confirmed ? 'num bad' : 'num'),
        el('td', L.number(a.ticketsAfterShown), 'num'),
        el('td', L.day(a.lastUpdated) || '—'),
        el('td', review, a.reviewOverdue ? 'overdue' : ''),
      );
      return row;
    }),
  );
}
