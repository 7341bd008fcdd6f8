// The Tickets tab (issue 18): the period's ticket figures, created vs solved
// per day, the backlog by age, and a table per group. Charts are SVG built
// here, as the satisfaction panel's bars: presentation attributes only (the
// CSP allows no inline style), every word from the page's tables.
import type { TicketReportResponse } from '../../../core/contracts/reports.ts';
import { el } from '../dom.ts';
import type { Locale, StringKey } from '../i18n/index.ts';

type Row = TicketReportResponse['totals'];

const SVG = 'http://www.w3.org/2000/svg';
const COLOURS = { created: '#2563eb', solved: '#16a34a', backlog: '#f59e0b' };
// The report's own names for what has no group; shown in the page's words.
const SPECIAL_KEYS: Record<string, StringKey> = { '(uncategorised)': 'csatUncategorised', '(none)': 'csatNone' };
const AGES: Array<[keyof Row, StringKey]> = [
  ['backlogUnder1d', 'ticketsAgeUnder1d'],
  ['backlog1to3d', 'ticketsAge1to3d'],
  ['backlog3to7d', 'ticketsAge3to7d'],
  ['backlog7to30d', 'ticketsAge7to30d'],
  ['backlogOver30d', 'ticketsAgeOver30d'],
];

/** Fills the tab: figures and charts from the report by day, the table from the report by the chosen group. */
export function renderTickets(
  parts: { kpis: HTMLElement; volume: HTMLElement; ages: HTMLElement; table: HTMLTableSectionElement },
  byDay: TicketReportResponse,
  byGroup: TicketReportResponse,
  L: Locale,
): void {
  renderFigures(parts.kpis, byDay.totals, L);
  parts.volume.replaceChildren(volumeChart(byDay.rows, L));
  parts.ages.replaceChildren(agesChart(byDay.totals, L));
  renderTable(parts.table, byGroup, L);
}

function renderFigures(box: HTMLElement, t: Row, L: Locale): void {
  const hours = (h: number | null) => (h === null ? '—' : L.t('ticketsHours', { h }));
  const pct = (r: number | null) => (r === null ? '—' : L.percent(r));
  // [stable name, label, value]: data-kpi stays in English whatever the language, as in the totals panel.
  const figures: Array<[string, StringKey, string]> = [
    ['Created', 'ticketsCreated', L.number(t.created)],
    ['Solved', 'ticketsSolved', L.number(t.solved)],
    ['Backlog', 'ticketsBacklog', L.number(t.backlog)],
    ['First response', 'ticketsFirstResponse', hours(t.firstResponseMedianBusinessHours)],
    ['Resolution', 'ticketsResolution', hours(t.resolutionMedianBusinessHours)],
    ['SLA first response', 'ticketsSlaFirstResponse', pct(t.slaFirstResponseRate)],
    ['SLA resolution', 'ticketsSlaResolution', pct(t.slaResolutionRate)],
    ['Reopen rate', 'ticketsReopenRate', pct(t.reopenRate)],
    ['First-contact resolution', 'ticketsFcr', pct(t.firstContactResolutionRate)],
    ['Satisfied', 'ticketsSatisfied', pct(t.satisfiedRate)],
  ];
  box.replaceChildren(
    ...figures.map(([name, label, value]) => {
      const d = el('div');
      d.dataset.kpi = name;
      d.append(el('dt', L.t(label)), el('dd', value));
      return d;
    }),
  );
}

/** Created and solved side by side per day (or week), scaled to the busiest; each bar titled with its figure. */
function volumeChart(rows: Row[], L: Locale): SVGSVGElement {
  const width = 600;
  const height = 180;
  const svg = svgBox(width, height + 40, L.t('ticketsVolumeLabel'));
  const max = Math.max(1, ...rows.map((r) => Math.max(r.created, r.solved)));
  const slot = width / Math.max(1, rows.length);
  rows.forEach((r, i) => {
    for (const [j, name] of (['created', 'solved'] as const).entries()) {
      const h = (r[name] / max) * height;
      const rect = shape('rect', {
        x: (i * slot + (j * slot) / 2).toFixed(2),
        y: (height - h).toFixed(2),
        width: Math.max(0.5, slot / 2 - 1).toFixed(2),
        height: h.toFixed(2),
        fill: COLOURS[name],
      });
      rect.dataset.day = r.key;
      rect.dataset.series = name;
      rect.dataset.value = String(r[name]);
      rect.append(
        shape(
          'title',
          {},
          `${L.day(r.key)}: ${L.t(name === 'created' ? 'ticketsCreated' : 'ticketsSolved')} ${L.number(r[name])}`,
        ),
      );
      svg.append(rect);
    }
  });
  if (rows.length) {
    svg.append(shape('text', { x: '0', y: String(height + 16), 'font-size': '11' }, L.day(rows[0]!.key)));
    svg.append(
      shape(
        'text',
        { x: String(width), y: String(height + 16), 'font-size': '11', 'text-anchor': 'end' },
        L.day(rows[rows.length - 1]!.key),
      ),
    );
  }
  legend(svg, height + 34, [
    [COLOURS.created, L.t('ticketsCreated')],
    [COLOURS.solved, L.t('ticketsSolved')],
  ]);
  return svg;
}

/** One bar per age bucket, with its label and count. */
function agesChart(t: Row, L: Locale): SVGSVGElement {
  const width = 600;
  const line = 26;
  const svg = svgBox(width, AGES.length * line, L.t('ticketsAgesLabel'));
  const max = Math.max(1, ...AGES.map(([k]) => t[k] as number));
  AGES.forEach(([k, label], i) => {
    const n = t[k] as number;
    const y = i * line;
    const g = shape('g', {});
    g.dataset.age = k;
    g.dataset.value = String(n);
    g.append(
      shape('text', { x: '0', y: String(y + 16), 'font-size': '12' }, L.t(label)),
      shape('rect', {
        x: '150',
        y: String(y + 4),
        width: ((n / max) * 380).toFixed(2),
        height: '16',
        fill: COLOURS.backlog,
      }),
      shape('text', { x: String(width), y: String(y + 16), 'font-size': '12', 'text-anchor': 'end' }, L.number(n)),
    );
    svg.append(g);
  });
  return svg;
}

function renderTable(body: HTMLTableSectionElement, r: TicketReportResponse, L: Locale): void {
  const hours = (h: number | null) => (h === null ? '—' : L.number(h));
  const pct = (x: number | null) => (x === null ? '—' : L.percent(x));
  const rows = [...r.rows.filter((x) => x.created || x.solved || x.backlog), r.totals];
  body.replaceChildren(
    ...rows.map((x) => {
      const tr = el('tr');
      tr.dataset.group = x.key;
      const name = x === r.totals ? L.t('ticketsTotal') : groupName(x.key, r.groupBy, L);
      tr.append(el('th', name));
      for (const value of [
        L.number(x.created),
        L.number(x.solved),
        L.number(x.backlog),
        hours(x.firstResponseMedianBusinessHours),
        hours(x.firstResponseP90BusinessHours),
        hours(x.resolutionMedianBusinessHours),
        hours(x.resolutionMedianCalendarHours),
        pct(x.slaFirstResponseRate),
        pct(x.slaResolutionRate),
        pct(x.reopenRate),
        pct(x.firstContactResolutionRate),
        pct(x.satisfiedRate),
      ])
        tr.append(el('td', value, 'num'));
      return tr;
    }),
  );
}

function groupName(key: string, groupBy: TicketReportResponse['groupBy'], L: Locale): string {
  if (groupBy === 'day' || groupBy === 'week') return L.day(key);
  const special = Object.prototype.hasOwnProperty.call(SPECIAL_KEYS, key) ? SPECIAL_KEYS[key] : undefined;
  return special ? L.t(special) : key;
}

function svgBox(width: number, height: number, label: string): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label);
  svg.classList.add('tickets-chart');
  return svg;
}

function legend(svg: SVGSVGElement, y: number, items: Array<[string, string]>): void {
  items.forEach(([fill, text], i) => {
    const x = i * 140;
    svg.append(
      shape('rect', { x: String(x), y: String(y - 9), width: '10', height: '10', fill }),
      shape('text', { x: String(x + 14), y: String(y), 'font-size': '12' }, text),
    );
  });
}

function shape<K extends keyof SVGElementTagNameMap>(
  name: K,
  attrs: Record<string, string>,
  text?: string,
): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}
