import type { Lang } from '../../core/contracts/api.ts';
import { needsAttention } from '../../core/reports/articles.ts';
import type { PeriodInput } from '../../core/reports/period.ts';
import type { Reports } from '../../core/reports/reports.ts';
import { barChart, COLORS, hbarChart, lineChart } from './charts.ts';
import { chartLocale } from './chartStrings.ts';
import { gapRows } from './gapRows.ts';

const WEEKLY_AFTER_DAYS = 62;

/**
 * Everything the /reports page shows for a period, charts drawn as SVG with
 * their text in `lang`. All from one pass over the events. Only the charts are
 * translated: the rest is data the page words itself.
 */
export async function dashboardData(reports: Reports, input: PeriodInput, lang: Lang = 'en') {
  const byDay = await reports.deflection(input, 'day');
  const long = (Date.parse(byDay.to) - Date.parse(byDay.from)) / 86_400_000 > WEEKLY_AFTER_DAYS;
  const trend = long ? await reports.deflection(input, 'week') : byDay;
  const [byTag, byLang, articles, gaps] = await Promise.all([reports.deflection(input, 'tag'), reports.deflection(input, 'lang'), reports.articles(input), reports.gaps(input, { limit: 20 })]);
  const labels = trend.rows.map((r) => r.key);
  const tags = byTag.rows.slice(0, 10);
  const top = articles.rows.filter((r) => r.shown > 0).slice(0, 10);
  const locale = chartLocale(lang);
  const t = locale.text;
  return {
    lang,
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
        title: t.trendTitle,
        labels,
        locale,
        percent: true,
        series: [
          { name: t.selfServed, values: trend.rows.map((r) => (r.questions ? r.deflectionRate : null)), color: COLORS.primary },
          { name: t.confirmedOnly, values: trend.rows.map((r) => (r.questions ? r.confirmedDeflectionRate : null)), color: COLORS.secondary },
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
