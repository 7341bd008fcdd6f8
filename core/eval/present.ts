import type { CurvePoint, EvalMetrics } from './metrics.ts';

/** One evaluated set, as the table shows it. */
export interface SetResult {
  name: string;
  metrics: EvalMetrics;
}

const COLUMNS: [string, (m: EvalMetrics) => number | null, 'ratio' | 'count' | 'ms'][] = [
  ['queries', (m) => m.queries, 'count'],
  ['in scope', (m) => m.in_scope, 'count'],
  ['unans.', (m) => m.unanswerable, 'count'],
  ['acc@1', (m) => m.accuracy_at_1, 'ratio'],
  ['R@3', (m) => m.recall_at_3, 'ratio'],
  ['MRR@10', (m) => m.mrr_at_10, 'ratio'],
  ['CDR', (m) => m.cdr, 'ratio'],
  ['FDR', (m) => m.fdr, 'ratio'],
  ['FAR', (m) => m.far.all, 'ratio'],
  ['FAR id', (m) => m.far.id_oos, 'ratio'],
  ['FAR ood', (m) => m.far.ood_oos, 'ratio'],
  ['FAR oos', (m) => m.far.oos, 'ratio'],
  ['clarify', (m) => m.clarify_rate, 'ratio'],
  ['clar. hit', (m) => m.clarify_hit, 'ratio'],
  ['offered', (m) => m.offered, 'ratio'],
  ['p50 ms', (m) => m.latency_ms.p50, 'ms'],
  ['p95 ms', (m) => m.latency_ms.p95, 'ms'],
];

/** A Markdown table of every set and metric: readable in a terminal, pasteable into the README. */
export function metricsTable(results: SetResult[]): string {
  const head = ['set', ...COLUMNS.map(([name]) => name)];
  const rows = results.map((r) => [r.name, ...COLUMNS.map(([, get, kind]) => format(get(r.metrics), kind))]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i === 0 ? `${'-'.repeat(w + 1)}-` : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(head), rule, ...rows.map(line)].join('\n');
}

function format(value: number | null, kind: 'ratio' | 'count' | 'ms'): string {
  if (value === null) return '–';
  if (kind === 'count') return String(value);
  if (kind === 'ms') return value.toFixed(1);
  return value.toFixed(3);
}

/**
 * The risk–coverage curve drawn in text: correct deflections (y) against
 * wrong answers to in-scope questions (x) as the answer threshold moves,
 * with the engine's operating point marked `@`.
 */
export function plotCurve(
  points: CurvePoint[],
  operating: { cdr: number | null; fdr: number | null },
  size = { width: 56, height: 16 },
): string {
  const maxX = Math.max(0.05, ...points.map((p) => p.fdr));
  const grid = Array.from({ length: size.height + 1 }, () => Array<string>(size.width + 1).fill(' '));
  const put = (x: number, y: number, ch: string) => {
    const col = Math.round((x / maxX) * size.width);
    const row = size.height - Math.round(y * size.height);
    grid[row]![col] = ch;
  };
  for (const p of points) put(p.fdr, p.cdr, '*');
  if (operating.cdr !== null && operating.fdr !== null) put(operating.fdr, operating.cdr, '@');
  const out = grid.map((row, i) => {
    const y = 1 - i / size.height;
    const label = i % Math.ceil(size.height / 4) === 0 ? y.toFixed(2) : '';
    return `${label.padStart(5)} |${row.join('')}`;
  });
  out.push(`${' '.repeat(6)}+${'-'.repeat(size.width + 1)}`);
  out.push(
    `${' '.repeat(7)}0${'FDR (wrong answers / in-scope)'.padStart(Math.floor(size.width / 2) + 15)}${maxX.toFixed(2).padStart(size.width - Math.floor(size.width / 2) - 15)}`,
  );
  return ['CDR', ...out].join('\n');
}

/** The best CDR the curve reaches while FDR stays at or below each budget. */
export function cdrAtRisk(
  points: CurvePoint[],
  budgets = [0.01, 0.02, 0.05, 0.1],
): { fdr: number; cdr: number; threshold: number | null; far: number | null }[] {
  return budgets.map((b) => {
    const ok = points.filter((p) => p.fdr <= b);
    const best = ok.reduce<CurvePoint | null>((acc, p) => (!acc || p.cdr > acc.cdr ? p : acc), null);
    return { fdr: b, cdr: best?.cdr ?? 0, threshold: best?.threshold ?? null, far: best?.far ?? null };
  });
}
