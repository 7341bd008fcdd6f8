import { needsAttention } from '../../core/reports/articles.ts';
import type { PeriodInput } from '../../core/reports/period.ts';
import type { Reports } from '../../core/reports/reports.ts';
import { barChart, COLORS, hbarChart, lineChart } from './charts.ts';
import { gapRows } from './gapRows.ts';

const WEEKLY_AFTER_DAYS = 62;

/** Everything the /reports page shows for a period, charts drawn as SVG. All from one pass over the events. */
export async function dashboardData(reports: Reports, input: PeriodInput) {
  const byDay = await reports.deflection(input, 'day');
  const long = (Date.parse(byDay.to) - Date.parse(byDay.from)) / 86_400_000 > WEEKLY_AFTER_DAYS;
  const trend = long ? await reports.deflection(input, 'week') : byDay;
  const [byTag, byLang, articles, gaps] = await Promise.all([reports.deflection(input, 'tag'), reports.deflection(input, 'lang'), reports.articles(input), reports.gaps(input, { limit: 20 })]);
  const labels = trend.rows.map((r) => r.key);
  const tags = byTag.rows.slice(0, 10);
  const top = articles.rows.filter((r) => r.shown > 0).slice(0, 10);
  return {
    period: { from: byDay.from, to: byDay.to, windowDays: byDay.windowDays, unit: long ? 'week' : 'day' },
    totals: byDay.totals,
    trend: trend.rows,
    byTag: byTag.rows,
    byLang: byLang.rows,
    topArticles: top,
    health: articles.rows.filter(needsAttention).slice(0, 50),
    gaps: gapRows(gaps.clusters),
    charts: {
      trend: lineChart({
        title: 'Deflection rate',
        labels,
        percent: true,
        series: [
          { name: 'Self-served', values: trend.rows.map((r) => (r.questions ? r.deflectionRate : null)), color: COLORS.primary },
          { name: 'Confirmed only', values: trend.rows.map((r) => (r.questions ? r.confirmedDeflectionRate : null)), color: COLORS.secondary },
        ],
      }),
      volume: barChart({
        title: 'Questions and tickets',
        labels,
        series: [
          { name: 'Questions', values: trend.rows.map((r) => r.questions), color: COLORS.primary },
          { name: 'Tickets', values: trend.rows.map((r) => r.tickets), color: COLORS.warn },
        ],
      }),
      tags: hbarChart({
        title: 'Questions by tag',
        labels: tags.map((r) => r.key),
        series: [
          { name: 'Questions', values: tags.map((r) => r.questions), color: COLORS.primary },
          { name: 'Self-served', values: tags.map((r) => r.selfServed), color: COLORS.secondary },
        ],
      }),
      langs: hbarChart({
        title: 'Questions by language',
        labels: byLang.rows.map((r) => r.key),
        series: [
          { name: 'Questions', values: byLang.rows.map((r) => r.questions), color: COLORS.primary },
          { name: 'Self-served', values: byLang.rows.map((r) => r.selfServed), color: COLORS.secondary },
        ],
      }),
      articles: hbarChart({
        title: 'Top articles',
        labels: top.map((r) => r.title || r.articleId),
        series: [
          { name: 'Shown', values: top.map((r) => r.shown), color: COLORS.primary },
          { name: 'Helped', values: top.map((r) => r.confirmed), color: COLORS.secondary },
          { name: 'Not helpful', values: top.map((r) => r.notHelpful), color: COLORS.warn },
        ],
      }),
    },
  };
}
