import type pg from 'pg';
import type { ArticleTalliesQuery, CountedArticle } from '../../reports/articleTallies.ts';
import type { GapQuestion, GapQuestionsQuery } from '../../reports/gapQuestions.ts';
import { transaction } from './transaction.ts';

const DAY_MS = 86_400_000;

/**
 * The article tallies of a period in SQL, with the definitions of the
 * in-process scan (core/reports/outcomes.ts): displays, answers and verdicts
 * of the period from the narrow rows of migration 0014, and per article the
 * distinct tickets that followed a question of the period it was displayed
 * with — every ticket that reaches the question (its conversation or a shared
 * identity key, after it and at most the window later), not only the first,
 * and the suggestions of a "No" on the question only once that "No" came
 * before the ticket.
 */
export async function countArticlesSql(pool: pg.Pool, q: ArticleTalliesQuery): Promise<CountedArticle[]> {
  const { from, to } = q.period;
  const windowMs = q.period.windowDays * DAY_MS;
  // The tickets that can reach a question of the period, and the order and window that make one reach it.
  const reachable = `t.type = 'ticket' AND t.at >= $1 AND t.at <= $2::timestamptz + $3 * interval '1 millisecond'`;
  const reaches = `(t.at, t.seq) > (q.at, q.seq) AND t.at <= q.at + $3 * interval '1 millisecond'`;
  const text = `
WITH reach AS MATERIALIZED (
  -- The period's questions meet the tickets as tables, not CTEs: the planner then knows how many conversations and
  -- people they share, and looks up the few escalated questions' articles by seq instead of hashing the period's.
  SELECT q.seq AS q, q.at AS q_at, q.conversation_id, t.seq AS t, t.at AS t_at
    FROM question_outcomes q JOIN events t ON t.conversation_id = q.conversation_id
   WHERE q.at >= $1 AND q.at < $2 AND ${reachable} AND ${reaches}
  UNION
  SELECT q.seq, q.at, q.conversation_id, t.seq, t.at
    FROM question_outcomes q JOIN events t ON t.r_uid = q.uid
   WHERE q.at >= $1 AND q.at < $2 AND ${reachable} AND ${reaches}
  UNION
  SELECT q.seq, q.at, q.conversation_id, t.seq, t.at
    FROM question_outcomes q JOIN events t ON t.r_email = q.email
   WHERE q.at >= $1 AND q.at < $2 AND ${reachable} AND ${reaches}
), reached AS (
  -- The escalated questions and the next question of their conversation: a "No" between the two is theirs.
  SELECT r.q, r.q_at, r.conversation_id, nx.at AS nx_at, nx.seq AS nx_seq
    FROM (SELECT DISTINCT q, q_at, conversation_id FROM reach) r
    LEFT JOIN LATERAL (
      SELECT n.at, n.seq FROM question_outcomes n
       WHERE n.conversation_id = r.conversation_id AND (n.at, n.seq) > (r.q_at, r.q)
       ORDER BY n.at, n.seq LIMIT 1) nx ON true
), displayed AS (
  SELECT r.t, a.article FROM reach r
    -- Their rows are the period's too: should the planner hash them, it hashes the period's, not the table.
    JOIN report_article_events a ON a.seq = r.q AND a.role = 0 AND a.at >= $1 AND a.at < $2
  UNION ALL
  SELECT r.t, s.article
    FROM reach r JOIN reached x ON x.q = r.q
    JOIN report_article_events s ON s.role = 4 AND s.conversation_id = x.conversation_id
     AND (s.at, s.seq) > (x.q_at, x.q) AND (x.nx_seq IS NULL OR (s.at, s.seq) < (x.nx_at, x.nx_seq))
     AND s.at <= x.q_at + $3 * interval '1 millisecond' AND (s.at, s.seq) < (r.t_at, r.t)
), followed AS (
  SELECT article, count(*) AS tickets_after FROM (SELECT DISTINCT article, t FROM displayed) d GROUP BY article
), counted AS (
  SELECT article, count(*) FILTER (WHERE role IN (0, 4)) AS shown, count(*) FILTER (WHERE role = 1) AS answered,
         count(*) FILTER (WHERE role = 2) AS confirmed, count(*) FILTER (WHERE role = 3) AS not_helpful
    FROM report_article_events WHERE at >= $1 AND at < $2 GROUP BY article
)
SELECT COALESCE(c.article, f.article) AS article, COALESCE(c.shown, 0) AS shown, COALESCE(c.answered, 0) AS answered,
       COALESCE(c.confirmed, 0) AS confirmed, COALESCE(c.not_helpful, 0) AS not_helpful,
       COALESCE(f.tickets_after, 0) AS tickets_after
  FROM counted c FULL JOIN followed f ON f.article = c.article`;
  const rows = await quickly(pool, text, [from, to, windowMs]);
  return rows.map((r) => ({
    articleId: r.article as string,
    tally: {
      shown: Number(r.shown),
      answered: Number(r.answered),
      confirmed: Number(r.confirmed),
      notHelpful: Number(r.not_helpful),
      ticketsAfter: Number(r.tickets_after),
    },
  }));
}

/**
 * The failed questions of a period counted per language and text in SQL
 * (core/reports/gapQuestions.ts): outcomes from question_outcomes (0010) as
 * the window sees them, texts and nearest articles from report_question_texts
 * (0014). Only the `limit` most frequent texts leave the database.
 */
export async function gapQuestionsSql(pool: pg.Pool, q: GapQuestionsQuery): Promise<GapQuestion[]> {
  const windowMs = q.period.windowDays * DAY_MS;
  const text = `
WITH failed AS (
  SELECT seq, at, COALESCE(lang, '') AS lang, NOT answered AND NOT suggested AS unanswered,
         COALESCE(no_at <= at + $3 * interval '1 millisecond', false)
           AND NOT COALESCE(yes_at <= at + $3 * interval '1 millisecond', false) AS not_helpful,
         COALESCE(ticket_at <= at + $3 * interval '1 millisecond', false) AS ticket
    FROM question_outcomes WHERE at >= $1 AND at < $2
), by_near AS (
  SELECT f.lang, t.text, t.near, count(*) AS n, sum(t.near_milli) AS milli,
         count(*) FILTER (WHERE f.unanswered) AS unanswered, count(*) FILTER (WHERE f.not_helpful) AS not_helpful,
         count(*) FILTER (WHERE f.ticket) AS ticket, min(f.at) AS first, max(f.at) AS last, min(f.seq) AS first_seq
    FROM failed f JOIN report_question_texts t ON t.seq = f.seq AND t.at >= $1 AND t.at < $2
   WHERE f.unanswered OR f.not_helpful OR f.ticket
   GROUP BY 1, 2, 3
)
SELECT lang, text, sum(n) AS count, sum(unanswered) AS unanswered, sum(not_helpful) AS not_helpful,
       sum(ticket) AS ticket, min(first) AS first, max(last) AS last,
       COALESCE(jsonb_agg(jsonb_build_array(near, n, milli)) FILTER (WHERE near IS NOT NULL), '[]') AS near
  FROM by_near GROUP BY lang, text
 ORDER BY count DESC, text COLLATE "C" LIMIT $4`;
  const rows = await quickly(pool, text, [q.period.from, q.period.to, windowMs, q.limit]);
  const out = rows.map((r) => ({
    lang: r.lang as string,
    text: r.text as string,
    count: Number(r.count),
    unanswered: Number(r.unanswered),
    notHelpful: Number(r.not_helpful),
    ticket: Number(r.ticket),
    first: (r.first as Date).getTime(),
    last: (r.last as Date).getTime(),
    near: (r.near as [string, number, number][]).map(([articleId, n, milli]) => ({ articleId, n, milli })),
  }));
  // In the order their texts were first asked, as the scan meets them.
  return out.sort((a, b) => a.first - b.first);
}

/**
 * One report statement, without JIT (compiling costs more than these
 * statements take to run) and with hash joins: the period's questions and
 * tickets are joined on conversation and identity keys, which a merge join
 * would sort by their text in the database's locale.
 */
async function quickly(pool: pg.Pool, text: string, values: unknown[]): Promise<Record<string, unknown>[]> {
  return transaction(pool, async (client) => {
    await client.query(`SET LOCAL jit = off; SET LOCAL work_mem = '64MB'; SET LOCAL enable_mergejoin = off`);
    return (await client.query<Record<string, unknown>>(text, values)).rows;
  });
}
