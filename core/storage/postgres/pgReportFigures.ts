import type pg from 'pg';
import type { CountedDeflection, DeflectionCounts, DeflectionQuery } from '../../reports/deflectionCounts.ts';
import type { CountedCsat, CsatQuery } from '../../reports/csat.ts';
import type { ReportFigures } from '../ports.ts';
import type { ArticleTalliesQuery, CountedArticle } from '../../reports/articleTallies.ts';
import type { GapQuestion, GapQuestionsQuery } from '../../reports/gapQuestions.ts';
import { countCsatSql } from './csatSql.ts';
import { countArticlesSql, gapQuestionsSql } from './insightSql.ts';
import { deflectionSql } from './deflectionSql.ts';
import { transaction, withClient } from './transaction.ts';

const DAY_MS = 86_400_000;
/** Any fixed number: the advisory lock under which one instance at a time builds rollups. */
const ROLLUP_LOCK = 0x0def1ec8;
/** Days rolled up per statement: a month of outcomes is one quick pass. */
const RUN_DAYS = 31;
/** What a closed day's rollup is made of (migrations 0004, 0012). */
const ROLLUP_TABLES = [
  'report_rollup_questions',
  'report_rollup_tickets',
  'report_rollup_links',
  'report_rollup_ticket_sets',
  'report_rollup_days',
];

/**
 * The deflection counts in SQL: every question's outcome is kept current by
 * triggers as events are appended, rewritten or removed (migration 0010:
 * question_outcomes), so a report only sums. Closed days — every question's
 * window over — come from per-day rollups of that table, built on first need
 * by whichever instance asks and rebuilt when the day's events or its
 * questions' outcomes within the window changed (from any instance); the
 * days whose windows are still open, and partial days at the period's ends,
 * are summed from the table itself. No instance keeps a cache of its own, so
 * every instance gives the same figures for the same events.
 */
export class PgReportFigures implements ReportFigures {
  constructor(private readonly pool: pg.Pool) {}

  async deflection(q: DeflectionQuery): Promise<CountedDeflection> {
    const windowMs = q.period.windowDays * DAY_MS;
    const fromMs = Date.parse(q.period.from);
    const toMs = Date.parse(q.period.to);
    // A day is closed when its last question's window ended before today began.
    const closedBefore = Math.floor(q.now / DAY_MS) * DAY_MS - windowMs;
    let rollupFrom = Math.ceil(fromMs / DAY_MS) * DAY_MS;
    let rollupTo = Math.min(Math.floor(toMs / DAY_MS) * DAY_MS, closedBefore);
    if (rollupTo <= rollupFrom) rollupFrom = rollupTo = fromMs;
    else await this.ensureRollups(q.period.windowDays, day(rollupFrom), day(rollupTo));
    const live: [string, string][] = [];
    if (fromMs < rollupFrom) live.push([iso(fromMs), iso(rollupFrom)]);
    if (rollupTo < toMs) live.push([iso(Math.max(rollupTo, fromMs)), iso(toMs)]);
    const { text, values } = deflectionSql(q, { from: day(rollupFrom), to: day(rollupTo) }, live);
    const rows = await transaction(this.pool, async (client) => {
      // The plan's cost estimate (a scan of the events table for the open days' tickets) passes the JIT
      // thresholds: compiling took 3.5 of the 6 s a 30-day report took over 10 M events, to run in well under 1 s.
      // Memory: the distinct (tag, ticket) pairs of a year, hashed rather than sorted on disk.
      await client.query(`SET LOCAL jit = off; SET LOCAL work_mem = '64MB'`);
      return (await client.query<Record<string, string | null>>(text, values)).rows;
    });
    return merge(rows);
  }

  /** Satisfaction counts, summed in SQL (csatSql.ts): no event or ticket is read into this process. */
  csat(q: CsatQuery): Promise<CountedCsat> {
    return countCsatSql(this.pool, q);
  }

  /** Article tallies counted in SQL (insightSql.ts). */
  articles(q: ArticleTalliesQuery): Promise<CountedArticle[]> {
    return countArticlesSql(this.pool, q);
  }

  /** The gaps report's failed questions, counted per text in SQL (insightSql.ts); only their texts are clustered in process. */
  gapQuestions(q: GapQuestionsQuery): Promise<GapQuestion[]> {
    return gapQuestionsSql(this.pool, q);
  }

  /** Build the rollups of the closed days in [from, to) (YYYY-MM-DD) that are missing or stale. */
  private async ensureRollups(windowDays: number, from: string, to: string): Promise<void> {
    const stale = await staleDays(this.pool, windowDays, from, to);
    for (const [a, b] of runsOf(stale)) {
      await withClient(this.pool, async (client, discard) => {
        await client.query('SELECT pg_advisory_lock($1)', [ROLLUP_LOCK]);
        try {
          // One snapshot: the versions recorded are those of the events the rollups were made from.
          await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
          // Another instance may have built them while this one waited for the lock.
          if ((await staleDays(client, windowDays, a, b)).length) {
            await buildRollups(client, windowDays, a, b);
            // Fresh statistics, or the planner takes a year of links for a few rows and sorts them on disk.
            await client.query(`ANALYZE ${ROLLUP_TABLES.filter((t) => t !== 'report_rollup_days').join(', ')}`);
          }
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK').catch(discard);
          throw error;
        } finally {
          // A lost connection has released the lock already; the pool must not reuse it.
          await client.query('SELECT pg_advisory_unlock($1)', [ROLLUP_LOCK]).catch(discard);
        }
      });
    }
  }
}

type Queryable = Pick<pg.Pool | pg.PoolClient, 'query'>;

async function staleDays(db: Queryable, windowDays: number, from: string, to: string): Promise<string[]> {
  const { rows } = await db.query<{ day: string }>(
    `SELECT d.day FROM (SELECT to_char(g, 'YYYY-MM-DD') AS day FROM generate_series($1::date, $2::date - 1, interval '1 day') g) d
       LEFT JOIN report_rollup_days r ON r.window_days = $3 AND r.day = d.day
      WHERE r.day IS NULL OR r.source IS DISTINCT FROM ${SOURCE_VERSION('d.day', '$3')}
      ORDER BY d.day`,
    [from, to, windowDays],
  );
  return rows.map((r) => r.day);
}

/**
 * What a day's rollup for a window was built from: the day's own events (the
 * tickets opened that day), its questions' outcomes as far as the window
 * reaches (migration 0010) — a change further out cannot move its counts —
 * and whether its tickets still reach questions of that day only (0012).
 */
function SOURCE_VERSION(day: string, windowDays: string): string {
  return `GREATEST((SELECT version FROM event_day_versions v WHERE v.day = ${day}),
                   (SELECT max(version) FROM outcome_day_versions o WHERE o.day = ${day} AND o.reach_days <= ${windowDays}),
                   (SELECT max(version) FROM outcome_spread_versions s WHERE s.day = ${day} AND s.reach_days <= ${windowDays}))`;
}

/** Settle the days [from, to) and store their counts, replacing what was there. */
async function buildRollups(db: Queryable, windowDays: number, from: string, to: string): Promise<void> {
  const w = windowDays;
  for (const table of ROLLUP_TABLES)
    await db.query(`DELETE FROM ${table} WHERE window_days = $1 AND day >= $2 AND day < $3`, [w, from, to]);
  const range = [`${from}T00:00:00Z`, `${to}T00:00:00Z`];
  // A ticket whose questions (within the window, on any day) all lie on one day is kept as the set of articles it
  // reached (migration 0012); the others as (article, ticket) links, counted distinct by the report.
  await db.query(
    `WITH s AS MATERIALIZED (SELECT * FROM report_outcomes($1, $2, $3)),
          links AS MATERIALIZED (SELECT DISTINCT day, article, ticket FROM s WHERE ticket IS NOT NULL),
          one_day AS MATERIALIZED (
            SELECT t.ticket, d.one_day FROM (SELECT DISTINCT ticket FROM links) t
             CROSS JOIN LATERAL (
               SELECT min(q.day) = max(q.day) AS one_day FROM question_outcomes q
                WHERE q.ticket = t.ticket AND q.ticket_at <= q.at + $3 * interval '1 millisecond') d),
          spread AS (
            INSERT INTO report_rollup_links
            SELECT $4::int, day, article, ticket FROM links JOIN one_day USING (ticket) WHERE NOT one_day),
          sets AS (
            INSERT INTO report_rollup_ticket_sets
            SELECT $4::int, day, articles, count(*) FROM (
              SELECT day, ticket, array_agg(article ORDER BY article) AS articles
                FROM links JOIN one_day USING (ticket) WHERE one_day GROUP BY day, ticket) t
             GROUP BY day, articles)
     INSERT INTO report_rollup_questions
     SELECT $4, day, lang, channel, article, count(*),
            count(*) FILTER (WHERE answered), count(*) FILTER (WHERE suggested),
            count(*) FILTER (WHERE confirmed), count(*) FILTER (WHERE not_helpful),
            count(*) FILTER (WHERE ticket IS NULL AND (answered OR suggested)),
            count(*) FILTER (WHERE ticket IS NULL AND (answered OR suggested) AND confirmed),
            count(*) FILTER (WHERE ticket IS NOT NULL),
            count(*) FILTER (WHERE reason = 0), count(*) FILTER (WHERE reason = 1), count(*) FILTER (WHERE reason = 2),
            count(*) FILTER (WHERE ticket IS NULL AND NOT answered AND NOT suggested)
       FROM s GROUP BY day, lang, channel, article`,
    [...range, w * DAY_MS, w],
  );
  await db.query(
    `INSERT INTO report_rollup_tickets
     SELECT $3, day, r_lang, r_channel, count(*) FROM events
      WHERE type = 'ticket' AND at >= $1 AND at < $2 GROUP BY day, r_lang, r_channel`,
    [...range, w],
  );
  await db.query(
    `INSERT INTO report_rollup_days
     SELECT d, $3::int, ${SOURCE_VERSION('d', '$3::int')}
       FROM (SELECT to_char(g, 'YYYY-MM-DD') AS d FROM generate_series($1::date, $2::date - 1, interval '1 day') g) days`,
    [from, to, w],
  );
}

/** Consecutive days as [first, end) runs of at most RUN_DAYS. */
function runsOf(days: string[]): [string, string][] {
  const runs: [string, string][] = [];
  for (const d of days) {
    const t = Date.parse(`${d}T00:00:00Z`);
    const last = runs[runs.length - 1];
    const lastEnd = last ? Date.parse(`${last[1]}T00:00:00Z`) : NaN;
    const lastStart = last ? Date.parse(`${last[0]}T00:00:00Z`) : NaN;
    if (last && t === lastEnd && (t - lastStart) / DAY_MS < RUN_DAYS) last[1] = day(t + DAY_MS);
    else runs.push([d, day(t + DAY_MS)]);
  }
  return runs;
}

const COUNT_COLUMNS: [keyof DeflectionCounts, string][] = [
  ['questions', 'questions'],
  ['answered', 'answered'],
  ['suggested', 'suggested'],
  ['confirmed', 'confirmed'],
  ['notHelpful', 'not_helpful'],
  ['selfServed', 'self_served'],
  ['selfServedConfirmed', 'self_served_confirmed'],
  ['escalated', 'escalated'],
  ['escalatedByUser', 'escalated_user'],
  ['escalatedAfterNotHelpful', 'escalated_not_helpful'],
  ['escalatedNoAnswer', 'escalated_no_answer'],
  ['abandoned', 'abandoned'],
  ['windowOpen', 'window_open'],
  ['tickets', 'tickets'],
];

/** The query's rows (question counts and ticket counts come apart) summed per key. */
function merge(rows: Record<string, string | null>[]): CountedDeflection {
  const byKey = new Map<string, DeflectionCounts>();
  let totals: DeflectionCounts | undefined;
  const add = (into: DeflectionCounts, r: Record<string, string | null>) => {
    for (const [field, column] of COUNT_COLUMNS) into[field] += Number(r[column] ?? 0);
  };
  const blank = () => Object.fromEntries(COUNT_COLUMNS.map(([f]) => [f, 0])) as unknown as DeflectionCounts;
  for (const r of rows) {
    if (r.part === 'total') add((totals ??= blank()), r);
    else {
      let c = byKey.get(r.key!);
      if (!c) byKey.set(r.key!, (c = blank()));
      add(c, r);
    }
  }
  return { totals: totals ?? blank(), rows: [...byKey].map(([key, counts]) => ({ key, counts })) };
}

function day(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
