import type { Lang } from '../../core/contracts/api.ts';
import type { DashboardResponse } from '../../core/contracts/reports.ts';
import { needsAttention } from '../../core/reports/articles.ts';
import type { DashboardReports } from '../../core/commands/readDashboard.ts';
import { barChart, COLORS, hbarChart, lineChart } from './charts.ts';
import { chartLocale } from './chartStrings.ts';
import { gapRows } from './gapRows.ts';

/**
 * Everything the /reports page shows for a period, charts drawn as SVG with
 * their text in `lang`. Only the charts are translated: the rest is data the
 * page words itself.
 */
export function dashboardData(reports: DashboardReports, lang: Lang = 'en'): DashboardResponse {
  const { byDay, trend, unit, byTag, byLang, articles, gaps, weakest, coverage } = reports;
  const labels = trend.rows.map((r) => r.key);
  const tags = byTag.rows.slice(0, 10);
  const top = articles.rows.filter((r) => r.shown > 0).slice(0, 10);
  const locale = chartLocale(lang);
  const t = locale.text;
  return {
    lang,
    period: { from: byDay.from, to: byDay.to, windowDays: byDay.windowDays, unit },
    totals: byDay.totals,
    trend: trend.rows,
    byTag: byTag.rows,
    byLang: byLang.rows,
    topArticles: top,
    health: articles.rows.filter(needsAttention).slice(0, 50),
    gaps: gapRows(gaps.clusters),
    weakest,
    coverage,
    charts: {
      trend: lineChart({
        title: t.trendTitle,
        labels,
        locale,
        percent: true,
        series: [
          {
            name: t.selfServed,
            values: trend.rows.map((r) => (r.questions ? r.deflectionRate : null)),
            color: COLORS.primary,
          },
          {
            name: t.confirmedOnly,
            values: trend.rows.map((r) => (r.questions ? r.confirmedDeflectionRate : null)),
            color: COLORS.secondary,
          },
        ],
      }),
      volume: barChart({
        title: t.volumeTitle,
        labels,
        locale,
        series: [
          { name: t.questions, values: trend.rows.map((r) => r.questions), color: COLORS.primary },
          { name: t.tickets, values: trend.rows.map((r) => r.tickets), color: COLORS.warn },
        ],
      }),
      tags: hbarChart({
        title: t.tagsTitle,
        labels: tags.map((r) => locale.key(r.key)),
        locale,
        series: [
          { name: t.questions, values: tags.map((r) => r.questions), color: COLORS.primary },
          { name: t.selfServed, values: tags.map((r) => r.selfServed), color: COLORS.secondary },
        ],
      }),
      langs: hbarChart({
        title: t.langsTitle,
        labels: byLang.rows.map((r) => locale.language(r.key)),
        locale,
        series: [
          { name: t.questions, values: byLang.rows.map((r) => r.questions), color: COLORS.primary },
          { name: t.selfServed, values: byLang.rows.map((r) => r.selfServed), color: COLORS.secondary },
        ],
      }),
      articles: hbarChart({
        title: t.articlesTitle,
        labels: top.map((r) => r.title || r.articleId),
        locale,
        series: [
          { name: t.shown, values: top.map((r) => r.shown), color: COLORS.primary },
          { name: t.helped, values: top.map((r) => r.confirmed), color: COLORS.secondary },
          { name: t.notHelpful, values: top.map((r) => r.notHelpful), color: COLORS.warn },
        ],
      }),
    },
  };
}
