import type { DeflectionQuery } from '../../reports/deflectionCounts.ts';

const DAY_MS = 86_400_000;

/**
 * The one statement behind a deflection report: the rollups of the closed
 * days [rollups.from, rollups.to) plus the questions of the `live` ranges
 * settled now, counted per group and in total, with the tickets per group
 * (opened in the period; for articles, tags and categories, the distinct
 * tickets that first escalated a question about them).
 */
export function deflectionSql(
  q: DeflectionQuery,
  rollups: { from: string; to: string },
  live: [string, string][],
): { text: string; values: unknown[] } {
  const values: unknown[] = [];
  const p = (v: unknown) => `$${values.push(v)}`;
  const w = p(q.period.windowDays);
  const windowMs = p(q.period.windowDays * DAY_MS);
  let noneParam: string | undefined;
  const none = () => (noneParam ??= p(q.none));
  const inRollups = `window_days = ${w} AND day >= ${p(rollups.from)} AND day < ${p(rollups.to)}`;
  const settled = live.map(([a, b]) => `SELECT * FROM report_outcomes(${p(a)}, ${p(b)}, ${windowMs}::bigint)`);
  const liveEvents = live.map(([a, b]) => `(at >= ${p(a)} AND at < ${p(b)})`);
  const now = p(new Date(q.now).toISOString());

  const groups =
    q.groupBy === 'articleGroups'
      ? `LEFT JOIN unnest(${p((q.articleGroups ?? []).map((g) => g.article))}::text[], ${p((q.articleGroups ?? []).map((g) => g.key))}::text[]) AS g(article, key) ON g.article = x.article`
      : '';
  const keyOf = (x: 'question' | 'ticket') => {
    switch (q.groupBy) {
      case 'day':
        return 'x.day';
      case 'week':
        return `to_char(date_trunc('week', x.day::date), 'YYYY-MM-DD')`;
      case 'lang':
      case 'channel':
        return `COALESCE(x.${q.groupBy}, ${none()})`;
      case 'article':
        return `COALESCE(x.article, ${none()})`;
      case 'articleGroups':
        if (x === 'ticket') throw new Error('tickets by article group are counted from links');
        return `CASE WHEN x.article IS NULL THEN ${none()} WHEN g.article IS NULL THEN ${p(q.notInKb)} ELSE g.key END`;
    }
  };
  const sums = `sum(questions) AS questions, sum(answered) AS answered, sum(suggested) AS suggested,
    sum(confirmed) AS confirmed, sum(not_helpful) AS not_helpful, sum(self_served) AS self_served,
    sum(self_served_confirmed) AS self_served_confirmed, sum(escalated) AS escalated,
    sum(escalated_user) AS escalated_user, sum(escalated_not_helpful) AS escalated_not_helpful,
    sum(escalated_no_answer) AS escalated_no_answer, sum(abandoned) AS abandoned, sum(window_open) AS window_open`;
  const byTicketAttributes = q.groupBy !== 'article' && q.groupBy !== 'articleGroups';
  const ticketRows = byTicketAttributes
    ? `SELECT 'row' AS part, ${keyOf('ticket')} AS key, sum(tickets) AS tickets FROM opened x GROUP BY 2`
    : `SELECT 'row' AS part, ${keyOf('question')} AS key, count(DISTINCT x.ticket) AS tickets FROM links x ${groups} GROUP BY 2`;

  const text = `
WITH live AS MATERIALIZED (
  ${settled.length ? settled.join(' UNION ALL ') : 'SELECT * FROM report_outcomes(now(), now(), 0) WHERE false'}
), parts AS (
  SELECT day, lang, channel, article, questions, answered, suggested, confirmed, not_helpful, self_served,
         self_served_confirmed, escalated, escalated_user, escalated_not_helpful, escalated_no_answer, abandoned,
         0 AS window_open
    FROM report_rollup_questions WHERE ${inRollups}
  UNION ALL
  SELECT day, lang, channel, article, 1, answered::int, suggested::int, confirmed::int, not_helpful::int,
         (ticket IS NULL AND (answered OR suggested))::int,
         (ticket IS NULL AND (answered OR suggested) AND confirmed)::int,
         (ticket IS NOT NULL)::int, (reason = 0)::int, (reason = 1)::int, (reason = 2)::int,
         (ticket IS NULL AND NOT answered AND NOT suggested)::int,
         (ticket IS NULL AND (answered OR suggested) AND at + ${windowMs}::bigint * interval '1 millisecond' > ${now})::int
    FROM live
), opened AS (
  SELECT day, lang, channel, tickets FROM report_rollup_tickets WHERE ${inRollups}
  UNION ALL
  SELECT day, r_lang, r_channel, 1 FROM events
   WHERE type = 'ticket' AND (${liveEvents.length ? liveEvents.join(' OR ') : 'false'})
), links AS (
  SELECT article, ticket FROM report_rollup_links WHERE ${inRollups}
  UNION ALL
  SELECT article, ticket FROM live WHERE ticket IS NOT NULL
), counted AS (
  SELECT 'row' AS part, ${keyOf('question')} AS key, ${sums} FROM parts x ${groups} GROUP BY 2
  UNION ALL
  SELECT 'total', '', ${sums} FROM parts
)
SELECT part, key, questions, answered, suggested, confirmed, not_helpful, self_served, self_served_confirmed,
       escalated, escalated_user, escalated_not_helpful, escalated_no_answer, abandoned, window_open, NULL AS tickets
  FROM counted
UNION ALL
SELECT part, key, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, tickets
  FROM (${ticketRows} UNION ALL SELECT 'total', '', sum(tickets) FROM opened) t`;
  return { text, values };
}
