// The charts panel. The server draws each chart as SVG in the page's language;
// it is shown as an <img> from a data: URL, which cannot run scripts.
import type { DashboardChart, DashboardResponse } from '../../../core/contracts/reports.ts';
import { byId } from '../dom.ts';

/** Sets each chart's image (#chart-<name>). */
export function renderCharts(charts: DashboardResponse['charts']): void {
  for (const [name, svg] of Object.entries(charts) as Array<[DashboardChart, string]>) {
    byId(`chart-${name}`, HTMLImageElement).src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  }
}
