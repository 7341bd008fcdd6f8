import type { DeflectionQuery } from '../../reports/deflectionCounts.ts';

const DAY_MS = 86_400_000;

/**
 * The one statement behind a deflection report: the rollups of the closed
 * days [rollups.from, rollups.to) plus the questions of the `live` ranges
 * settled now, counted per group and in total, with the tickets per group
 * (opened in the period; for articles, tags and categories, the distinct
 * tickets that first escalated a question about them: from the rollups'
 * sets of articles of one-day tickets, and the links of the others).
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
  const settledRows = settled.length ? settled.join(' UNION ALL ') : 'SELECT * FROM report_outcomes(now(), now(), 0)';

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
  const byGroups = q.groupBy === 'articleGroups';
  // Per article, tag or category, a ticket counts once. The tickets of one day come as sets of articles with their
  // count (migration 0012): the same set's counts on every day are summed first (a year at 10 M events: 68,000 rows
  // to 190 sets), then each set gives its tickets once to every group of its articles — not the (group, ticket) pairs
  // of every ticket. The rest (tickets reaching questions on several days, and the open days') are counted distinct
  // through a hash.
  const ticketRows = byTicketAttributes
    ? `SELECT 'row' AS part, ${keyOf('ticket')} AS key, sum(tickets) AS tickets FROM opened x GROUP BY 2`
    : `SELECT 'row' AS part, key, sum(tickets) AS tickets FROM (
         SELECT key, count(*) AS tickets FROM (SELECT DISTINCT ${keyOf('question')} AS key, x.ticket FROM links x ${groups}) d GROUP BY 1
         UNION ALL
         SELECT key, sum(tickets) FROM (
           SELECT DISTINCT s.id, ${keyOf('question')} AS key, s.tickets FROM sets s CROSS JOIN LATERAL unnest(s.articles) AS x(article) ${groups}
         ) k GROUP BY 1
       ) t GROUP BY 2`;

  // The open days' questions are counted per day, language, channel and article before they meet the rollups:
  // a week of a busy help desk is some 170,000 questions, a few thousand groups.
  const text = `
WITH live AS MATERIALIZED (
  SELECT day, lang, channel, article, count(*) AS questions, count(*) FILTER (WHERE answered) AS answered,
         count(*) FILTER (WHERE suggested) AS suggested, count(*) FILTER (WHERE confirmed) AS confirmed,
         count(*) FILTER (WHERE not_helpful) AS not_helpful,
         count(*) FILTER (WHERE ticket IS NULL AND (answered OR suggested)) AS self_served,
         count(*) FILTER (WHERE ticket IS NULL AND (answered OR suggested) AND confirmed) AS self_served_confirmed,
         count(*) FILTER (WHERE ticket IS NOT NULL) AS escalated,
         count(*) FILTER (WHERE reason = 0) AS escalated_user, count(*) FILTER (WHERE reason = 1) AS escalated_not_helpful,
         count(*) FILTER (WHERE reason = 2) AS escalated_no_answer,
         count(*) FILTER (WHERE ticket IS NULL AND NOT answered AND NOT suggested) AS abandoned,
         count(*) FILTER (WHERE ticket IS NULL AND (answered OR suggested)
                            AND at + ${windowMs}::bigint * interval '1 millisecond' > ${now}) AS window_open
    FROM (${settledRows}) s
   GROUP BY day, lang, channel, article
), parts AS (
  SELECT day, lang, channel, article, questions, answered, suggested, confirmed, not_helpful, self_served,
         self_served_confirmed, escalated, escalated_user, escalated_not_helpful, escalated_no_answer, abandoned,
         0 AS window_open
    FROM report_rollup_questions WHERE ${inRollups}
  UNION ALL
  SELECT * FROM live
), opened AS (
  SELECT day, lang, channel, tickets FROM report_rollup_tickets WHERE ${inRollups}
  UNION ALL
  SELECT day, r_lang, r_channel, 1 FROM events
   WHERE type = 'ticket' AND (${liveEvents.length ? liveEvents.join(' OR ') : 'false'})
), links AS (
  SELECT article, ticket FROM report_rollup_links WHERE ${inRollups}
  UNION ALL
  SELECT DISTINCT article, ticket FROM (${settledRows}) s WHERE ticket IS NOT NULL
), sets AS (
  SELECT row_number() OVER () AS id, articles, tickets
    FROM (SELECT articles, sum(tickets) AS tickets FROM report_rollup_ticket_sets WHERE ${inRollups} GROUP BY articles) a
), keyed AS MATERIALIZED (
  -- Summed once per key (for tags and categories, per article) so the rows and the total read a few hundred
  -- rows, not the rollups' tens of thousands twice.
  SELECT ${byGroups ? 'x.article' : `${keyOf('question')} AS key`}, ${sums} FROM parts x GROUP BY 1
), counted AS (
  SELECT 'row' AS part, ${byGroups ? keyOf('question') : 'x.key'} AS key, ${sums} FROM keyed x ${groups} GROUP BY 2
  UNION ALL
  SELECT 'total', '', ${sums} FROM keyed
)
SELECT part, key, questions, answered, suggested, confirmed, not_helpful, self_served, self_served_confirmed,
       escalated, escalated_user, escalated_not_helpful, escalated_no_answer, abandoned, window_open, NULL AS tickets
  FROM counted
UNION ALL
SELECT part, key, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, tickets
  FROM (${ticketRows} UNION ALL SELECT 'total', '', sum(tickets) FROM opened) t`;
  return { text, values };
}
