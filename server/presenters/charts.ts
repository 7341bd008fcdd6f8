import type { ChartLocale } from './chartStrings.ts';
import { escapeHtml } from './html.ts';

/**
 * Charts as standalone SVG, drawn on the server: no chart library, no build
 * step, nothing fetched. Only presentation attributes (fill, stroke…), no
 * style attributes, so they also pass a strict CSP when inlined. Every text
 * (titles, legends, labels, numbers) goes through escapeHtml, including the
 * locale's own output, since labels can be user text (tags, article titles).
 */

export interface Series {
  name: string;
  /** null: no value for that label (a gap in a line, no bar). */
  values: (number | null)[];
  color: string;
}

const W = 640;
const H = 260;
const PAD = { top: 34, right: 16, bottom: 46, left: 48 };
const FONT = 'font-family="system-ui, sans-serif" fill="#374151"';
const TEXT = `${FONT} font-size="11"`;
export const COLORS = { primary: '#2563eb', secondary: '#16a34a', warn: '#dc2626', muted: '#9ca3af', amber: '#d97706' };

/** Lines over time (values 0–1 shown as percentages, or counts). */
export function lineChart(opts: {
  title: string;
  labels: string[];
  series: Series[];
  percent?: boolean;
  locale: ChartLocale;
}): string {
  const { labels, series, locale } = opts;
  if (!labels.length) return empty(opts.title, locale);
  const max = opts.percent ? 1 : niceMax(maxOf(series));
  const x = (i: number) =>
    PAD.left +
    (labels.length === 1 ? (W - PAD.left - PAD.right) / 2 : (i * (W - PAD.left - PAD.right)) / (labels.length - 1));
  const y = (v: number) => H - PAD.bottom - (v / (max || 1)) * (H - PAD.top - PAD.bottom);
  const lines = series.map((s) => {
    // Labels without a value split the line into runs, so an empty day is not drawn as 0 %.
    const runs: string[][] = [[]];
    s.values.forEach((v, i) =>
      v === null ? runs.push([]) : runs.at(-1)!.push(`${x(i).toFixed(1)},${y(v).toFixed(1)}`),
    );
    const paths = runs
      .filter((r) => r.length > 1)
      .map((r) => `<polyline points="${r.join(' ')}" fill="none" stroke="${s.color}" stroke-width="2"/>`);
    const dots = s.values.map((v, i) =>
      v === null
        ? ''
        : `<circle cx="${x(i).toFixed(1)}" cy="${y(v).toFixed(1)}" r="3" fill="${s.color}"><title>${escapeHtml(`${locale.date(labels[i]!, true)}: ${s.name} ${opts.percent ? locale.percent(v) : locale.number(v)}`)}</title></circle>`,
    );
    return paths.join('') + dots.join('');
  });
  return frame(opts.title, series, [yAxis(max, locale, opts.percent), xLabels(labels, x, locale), ...lines].join(''));
}

/** Grouped vertical bars per label (e.g. questions and tickets per day). */
export function barChart(opts: { title: string; labels: string[]; series: Series[]; locale: ChartLocale }): string {
  const { labels, series, locale } = opts;
  if (!labels.length) return empty(opts.title, locale);
  const max = niceMax(maxOf(series));
  const slot = (W - PAD.left - PAD.right) / labels.length;
  const bar = Math.max(1, (slot * 0.8) / series.length);
  const y = (v: number) => H - PAD.bottom - (v / (max || 1)) * (H - PAD.top - PAD.bottom);
  const bars = series.flatMap((s, si) =>
    s.values.map((value, i) => {
      const v = value ?? 0;
      const bx = PAD.left + i * slot + slot * 0.1 + si * bar;
      return `<rect x="${bx.toFixed(1)}" y="${y(v).toFixed(1)}" width="${bar.toFixed(1)}" height="${(H - PAD.bottom - y(v)).toFixed(1)}" fill="${s.color}"><title>${escapeHtml(`${locale.date(labels[i]!, true)}: ${s.name} ${locale.number(v)}`)}</title></rect>`;
    }),
  );
  return frame(
    opts.title,
    series,
    [yAxis(max, locale, false), xLabels(labels, (i) => PAD.left + i * slot + slot / 2, locale), ...bars].join(''),
  );
}

/** Horizontal bars, one row per label, series side by side (breakdowns, top articles). */
export function hbarChart(opts: {
  title: string;
  labels: string[];
  series: Series[];
  percent?: boolean;
  locale: ChartLocale;
}): string {
  const { labels, series, locale } = opts;
  if (!labels.length) return empty(opts.title, locale);
  const left = 180;
  const bar = 11;
  const rowH = series.length * bar + 8;
  const h = PAD.top + labels.length * rowH + 20;
  const max = opts.percent ? 1 : niceMax(maxOf(series));
  const width = W - left - PAD.right - 40;
  const rows = labels.map((label, i) => {
    const top = PAD.top + i * rowH;
    const bars = series.map((s, si) => {
      const v = s.values[i] ?? 0;
      const w = (v / (max || 1)) * width;
      const text = opts.percent ? locale.percent(v) : locale.number(v);
      return `<rect x="${left}" y="${(top + si * bar).toFixed(1)}" width="${w.toFixed(1)}" height="${(bar - 1).toFixed(1)}" fill="${s.color}"/><text x="${(left + w + 4).toFixed(1)}" y="${(top + si * bar + bar - 2).toFixed(1)}" ${FONT} font-size="10">${escapeHtml(text)}</text>`;
    });
    return `<text x="${left - 6}" y="${(top + (series.length * bar) / 2 + 4).toFixed(1)}" text-anchor="end" ${TEXT}>${escapeHtml(truncate(label, 26))}</text>${bars.join('')}`;
  });
  return frame(opts.title, series, rows.join(''), h);
}

function frame(title: string, series: Series[], body: string, h = H): string {
  const legend = series
    .map(
      (s, i) =>
        `<rect x="${PAD.left + i * 150}" y="8" width="10" height="10" fill="${s.color}"/><text x="${PAD.left + i * 150 + 14}" y="17" ${TEXT}>${escapeHtml(s.name)}</text>`,
    )
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${h}" width="${W}" height="${h}" role="img" aria-label="${escapeHtml(title)}"><title>${escapeHtml(title)}</title><rect width="${W}" height="${h}" fill="#ffffff"/>${legend}${body}</svg>`;
}

function empty(title: string, locale: ChartLocale): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} 80" width="${W}" height="80" role="img" aria-label="${escapeHtml(title)}"><title>${escapeHtml(title)}</title><rect width="${W}" height="80" fill="#ffffff"/><text x="${W / 2}" y="44" text-anchor="middle" ${TEXT}>${escapeHtml(locale.text.noData)}</text></svg>`;
}

function yAxis(max: number, locale: ChartLocale, percent?: boolean): string {
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => {
    const v = f * max;
    const y = H - PAD.bottom - f * (H - PAD.top - PAD.bottom);
    return `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y}" y2="${y}" stroke="#e5e7eb"/><text x="${PAD.left - 6}" y="${y + 4}" text-anchor="end" ${TEXT}>${escapeHtml(percent ? locale.percent(v) : locale.number(Math.round(v)))}</text>`;
  });
  return ticks.join('');
}

function xLabels(labels: string[], x: (i: number) => number, locale: ChartLocale): string {
  const every = Math.max(1, Math.ceil(labels.length / 10));
  const last = labels.length - 1;
  // The last label is always shown, so a regular one too close before it would overlap it.
  const shown = (i: number) => i === last || (i % every === 0 && last - i >= every);
  return labels
    .map((l, i) =>
      shown(i)
        ? `<text x="${x(i).toFixed(1)}" y="${H - PAD.bottom + 16}" text-anchor="middle" ${TEXT}>${escapeHtml(locale.date(l))}</text>`
        : '',
    )
    .join('');
}

/** A top for the axis with four round steps (0, 2, 4, 6, 8 rather than 0, 2.5, 5…). */
function niceMax(v: number): number {
  if (v <= 4) return 4;
  const quarter = v / 4;
  const p = 10 ** Math.floor(Math.log10(quarter));
  return 4 * ([1, 2, 5, 10].map((m) => m * p).find((m) => m >= quarter) ?? quarter);
}

function maxOf(series: Series[]): number {
  return Math.max(0, ...series.flatMap((s) => s.values.map((v) => v ?? 0)));
}

function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}
