// The satisfaction panel (issue 17): ticket ratings and the bot's "did this
// help?" apart, each with its figures and good/bad bars per group, and the
// latest comments. Comments are customers' text: written with textContent only.
import type { CsatResponse } from '../../../core/contracts/reports.ts';
import { el } from '../dom.ts';
import type { Locale, StringKey } from '../i18n/index.ts';

type Counts = Pick<CsatResponse, 'offered' | 'responded' | 'good' | 'bad' | 'score' | 'responseRate'>;
type Group = CsatResponse['groups'][number];

const SVG = 'http://www.w3.org/2000/svg';
// The report's own names for what has no group; shown in the page's words.
const SPECIAL_KEYS: Record<string, StringKey> = {
  '(uncategorised)': 'csatUncategorised',
  '(none)': 'csatNone',
  '(bot)': 'csatBot',
};

/** Fills #csat-tickets, #csat-answers and #csat-comments from the report. */
export function renderCsat(
  parts: { tickets: HTMLElement; answers: HTMLElement; comments: HTMLElement },
  r: CsatResponse,
  L: Locale,
): void {
  renderSide(parts.tickets, r, r.groups, L);
  renderSide(parts.answers, r.answers, r.answers.groups, L);
  if (!r.comments.length) return parts.comments.replaceChildren(el('li', L.t('csatNoComments'), 'muted'));
  parts.comments.replaceChildren(
    ...r.comments.map((c) => {
      const item = el('li');
      item.dataset.ticket = c.ticketId;
      item.dataset.score = c.score;
      const verdict = el('span', L.t(c.score === 'good' ? 'csatGood' : 'csatBad'), `verdict ${c.score}`);
      const meta = el('span', ` ${c.ticketId} · ${groupName(c.key, L)} · ${L.day(c.at.slice(0, 10))}`, 'muted small');
      item.append(verdict, ' ', el('q', c.comment), meta);
      return item;
    }),
  );
}

/** One side (tickets or bot answers): its three figures, then a bar per group. */
function renderSide(box: HTMLElement, totals: Counts, groups: Group[], L: Locale): void {
  const figures = el('dl', undefined, 'kpis csat-figures');
  // [stable name, label, value]: data-kpi stays in English whatever the language, as in the totals panel.
  const rows: Array<[string, StringKey, string]> = [
    ['Score', 'csatScore', totals.score === null ? '—' : L.percent(totals.score)],
    ['Responses', 'csatResponses', L.t('csatResponsesOf', { responded: totals.responded, offered: totals.offered })],
    ['Response rate', 'csatResponseRate', totals.responseRate === null ? '—' : L.percent(totals.responseRate)],
  ];
  figures.append(
    ...rows.map(([name, label, value]) => {
      const d = el('div');
      d.dataset.kpi = name;
      d.append(el('dt', L.t(label)), el('dd', value));
      return d;
    }),
  );
  const chart = el('ul', undefined, 'csat-chart');
  chart.setAttribute('aria-label', L.t('csatChartLabel'));
  const max = Math.max(1, ...groups.map((g) => g.responded));
  if (!groups.length) chart.append(el('li', L.t('csatNoRatings'), 'muted'));
  for (const g of groups) {
    const item = el('li');
    item.dataset.group = g.key;
    const score = el('span', g.score === null ? L.t('csatTooFew') : L.percent(g.score), 'score');
    if (g.score === null) score.classList.add('muted');
    item.append(
      el('span', groupName(g.key, L), 'label'),
      bar(g, max),
      el('span', L.t('csatGoodBad', { good: g.good, bad: g.bad }), 'counts small'),
      score,
    );
    chart.append(item);
  }
  box.replaceChildren(figures, chart);
}

/** Good then bad as two rectangles, scaled to the group with most responses; presentation attributes only (the CSP allows no inline style). */
function bar(g: Group, max: number): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 100 10');
  svg.setAttribute('preserveAspectRatio', 'none');
  svg.setAttribute('aria-hidden', 'true');
  svg.classList.add('bar');
  const good = (g.good / max) * 100;
  const bad = (g.bad / max) * 100;
  for (const [x, w, fill] of [
    [0, good, '#16a34a'],
    [good, bad, '#dc2626'],
  ] as const) {
    const rect = document.createElementNS(SVG, 'rect');
    rect.setAttribute('x', x.toFixed(2));
    rect.setAttribute('y', '0');
    rect.setAttribute('width', w.toFixed(2));
    rect.setAttribute('height', '10');
    rect.setAttribute('fill', fill);
    svg.append(rect);
  }
  return svg;
}

function groupName(key: string, L: Locale): string {
  const special = Object.prototype.hasOwnProperty.call(SPECIAL_KEYS, key) ? SPECIAL_KEYS[key] : undefined;
  return special ? L.t(special) : key;
}
