// The totals panel: the period's key figures, and what "self-served" means.
import type { DashboardResponse } from '../../../core/contracts/reports.ts';
import { byId, el } from '../dom.ts';
import type { Locale, StringKey } from '../i18n/index.ts';

/** Fills #kpis and #definitions from the dashboard's totals. */
export function renderKpis(d: Pick<DashboardResponse, 'totals' | 'period'>, L: Locale): void {
  const t = d.totals;
  // [stable name, label, value]: data-kpi keeps the English name in every
  // language, a hook for tests and scripts that does not move with the words.
  const kpis: Array<[string, StringKey, string]> = [
    ['Questions', 'kpiQuestions', L.number(t.questions)],
    ['Deflection rate', 'kpiDeflectionRate', L.percent(t.deflectionRate)],
    ['Confirmed only', 'kpiConfirmed', L.percent(t.confirmedDeflectionRate)],
    ['Self-served', 'kpiSelfServed', L.number(t.selfServed)],
    ['Escalated', 'kpiEscalated', L.number(t.escalated)],
    ['Tickets', 'kpiTickets', L.number(t.tickets)],
    ['Unanswered', 'kpiUnanswered', L.number(t.unanswered)],
  ];
  byId('kpis').replaceChildren(
    ...kpis.map(([name, label, value]) => {
      const box = el('div');
      box.dataset.kpi = name;
      box.append(el('dt', L.t(label)), el('dd', value));
      return box;
    }),
  );
  const open = t.windowOpen ? ` ${L.t('windowOpen', { n: t.windowOpen })}` : '';
  byId('definitions').textContent = L.t('definitions', { n: d.period.windowDays }) + open;
}
