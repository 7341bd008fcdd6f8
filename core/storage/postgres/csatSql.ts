import type pg from 'pg';
import {
  BOT,
  CSAT_COMMENTS,
  NONE,
  UNCATEGORISED,
  type CountedCsat,
  type CsatComment,
  type CsatQuery,
  type CsatTally,
} from '../../reports/csat.ts';

type Queryable = Pick<pg.Pool | pg.PoolClient, 'query'>;

/**
 * A ticket's group, from its document, as core/reports/csat.ts ticketKey:
 * `->>` gives NULL for a missing key and for JSON null, as `??` skips both.
 */
const TICKET_KEY = `CASE $3
  WHEN 'category' THEN COALESCE(doc->>'category', '${UNCATEGORISED}')
  WHEN 'article' THEN COALESCE(doc->>'solvedWith', doc->'shown'->0->>'articleId', '${NONE}')
  WHEN 'agent' THEN COALESCE(doc->>'assignee',
    (SELECT m->>'author' FROM jsonb_array_elements(doc->'messages') WITH ORDINALITY AS x(m, i)
      WHERE m->>'from' = 'agent' AND COALESCE(m->'internal', 'false') IN ('false', 'null', '0', '""')
      ORDER BY i LIMIT 1),
    '${NONE}')
  ELSE doc->>'channel' END`;

/**
 * The CSAT counts in SQL, with csat.ts's definitions. Tickets: those whose
 * solvedAt falls in the period, compared as text in byte order (COLLATE "C")
 * as the in-process scan compares ISO strings. Answers: the questions
 * answered in the period from question_outcomes (migration 0010: one narrow
 * row per question, `answered` and `article` as the events' r_action and
 * r_article), and every feedback event of the period by its own article and
 * channel, from the events' report columns (migration 0004) — no event's
 * document is opened.
 */
export async function countCsatSql(db: Queryable, q: CsatQuery): Promise<CountedCsat> {
  const { from, to } = q.period;
  const solvedIn = `(doc->>'solvedAt') COLLATE "C" >= $1 AND (doc->>'solvedAt') COLLATE "C" < $2`;
  const [tickets, comments, answers] = await Promise.all([
    db.query<{ key: string; offered: string; good: string; bad: string }>(
      `SELECT ${TICKET_KEY} AS key, count(*) AS offered,
              count(*) FILTER (WHERE doc->'rating'->>'score' = 'good') AS good,
              count(*) FILTER (WHERE doc->'rating'->>'score' = 'bad') AS bad
         FROM tickets WHERE ${solvedIn} GROUP BY 1`,
      [from, to, q.groupBy],
    ),
    db.query<CsatComment>(
      `SELECT id AS "ticketId", doc->'rating'->>'score' AS score, doc->'rating'->>'comment' AS comment,
              doc->'rating'->>'at' AS at, ${TICKET_KEY} AS key
         FROM tickets WHERE ${solvedIn} AND doc->'rating'->>'comment' <> ''
        ORDER BY (doc->'rating'->>'at') COLLATE "C" DESC, seq LIMIT ${CSAT_COMMENTS}`,
      [from, to, q.groupBy],
    ),
    db.query<{ key: string; offered: string; good: string; bad: string }>(
      `SELECT CASE $3 WHEN 'category' THEN COALESCE(c.category, '${UNCATEGORISED}')
                      WHEN 'article' THEN COALESCE(a.article, '${NONE}')
                      WHEN 'agent' THEN '${BOT}'
                      ELSE a.channel END AS key,
              sum(a.offered) AS offered, sum(a.good) AS good, sum(a.bad) AS bad
         FROM (SELECT article, channel, count(*) AS offered, 0 AS good, 0 AS bad
                 FROM question_outcomes WHERE answered AND at >= $1 AND at < $2 GROUP BY 1, 2
               UNION ALL
               SELECT r_article, r_channel, 0, count(*) FILTER (WHERE r_helpful),
                      count(*) FILTER (WHERE r_helpful IS NOT TRUE)
                 FROM events WHERE type = 'feedback' AND at >= $1 AND at < $2 GROUP BY 1, 2) a
         LEFT JOIN unnest($4::text[], $5::text[]) AS c(article, category) ON c.article = a.article
        GROUP BY 1`,
      [from, to, q.groupBy, q.categories.map((c) => c.article), q.categories.map((c) => c.category)],
    ),
  ]);
  return { tickets: tallies(tickets.rows), answers: tallies(answers.rows), comments: comments.rows };
}

function tallies(rows: { key: string; offered: string; good: string; bad: string }[]): CsatTally[] {
  return rows.map((r) => ({ key: r.key, offered: Number(r.offered), good: Number(r.good), bad: Number(r.bad) }));
}
