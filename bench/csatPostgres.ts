/**
 * Benchmark: the CSAT report with DATABASE_URL, counted in SQL
 * (PgReportFigures.csat) beside the scan it replaced (ScannedCsat over the
 * same PostgreSQL stores: the period's events and every ticket read into
 * this process), on the same data in the same run.
 *
 *   npx tsx bench/csatPostgres.ts [--events 1000000] [--tickets 50000] [--days 60]
 *
 * Creates a scratch database (deflect_csat_<random>, dropped at the end) on
 * BENCH_DATABASE_URL's server (default the local one), fills it in SQL with
 * generate_series: conversations of three events (a question, answered
 * 60 % of the time; a "did this help?" verdict on half; else another
 * question), every question's outcome settled in one pass, and tickets with
 * a transcript of about 2 kB, two thirds solved, half of those rated.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { csatQuery, CSAT_GROUP_BY } from '../core/reports/csat.ts';
import { ScannedCsat } from '../core/reports/scannedCsat.ts';
import { openStores } from '../core/storage/openStores.ts';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '1000000' },
    tickets: { type: 'string', default: '50000' },
    days: { type: 'string', default: '60' },
  },
});
const EVENTS = Number(values.events);
const TICKETS = Number(values.tickets);
const DAYS = Number(values.days);
const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const ARTICLES = ['reset-password-en', 'vpn-setup-en', 'invoice-copy-en', 'restablecer-contrasena-es'];

const name = `deflect_csat_${randomBytes(4).toString('hex')}`;
const admin = new pg.Client({ connectionString: ADMIN_URL });
await admin.connect();
await admin.query(`CREATE DATABASE ${name}`);
const url = new URL(ADMIN_URL);
url.pathname = `/${name}`;
try {
  const stores = await openStores({
    dataDir: os.tmpdir(),
    bot: { stateTtlDays: 30 },
    storage: { databaseUrl: url.toString(), redisKeyPrefix: 'bench:' },
  });
  const now = Date.now();
  const t0 = performance.now();
  await fill(url.toString(), now);
  console.log(
    `loaded ${EVENTS.toLocaleString('en')} events and ${TICKETS.toLocaleString('en')} tickets in ${((performance.now() - t0) / 1000).toFixed(0)} s`,
  );
  const period = { from: new Date(now - 30 * 86_400_000).toISOString(), to: new Date(now).toISOString() };
  const articles = new Map(ARTICLES.map((a, i) => [a, { category: i % 2 ? 'Network' : 'Accounts' }]));
  const scan = new ScannedCsat(stores);
  const lines: string[] = [];
  for (const groupBy of CSAT_GROUP_BY) {
    const q = csatQuery(period, groupBy, articles);
    const timed = async (f: () => Promise<unknown>) => {
      const cpu = process.cpuUsage();
      const start = performance.now();
      const result = await f();
      const used = process.cpuUsage(cpu);
      return { ms: performance.now() - start, cpuMs: (used.user + used.system) / 1000, result };
    };
    await stores.reportFigures!.csat(q); // warm the buffer cache as the scan will find it
    const sql = await timed(() => stores.reportFigures!.csat(q));
    const old = await timed(() => scan.csat(q));
    const same = JSON.stringify(sortTallies(sql.result)) === JSON.stringify(sortTallies(old.result));
    lines.push(
      `| CSAT, last 30 days, by ${groupBy} | SQL ${sql.ms.toFixed(0)} ms (process CPU ${sql.cpuMs.toFixed(0)} ms) | scan ${old.ms.toFixed(0)} ms (process CPU ${old.cpuMs.toFixed(0)} ms) | ${same ? 'same counts' : 'COUNTS DIFFER'} |`,
    );
    console.log(lines[lines.length - 1]);
  }
  await stores.close();
  console.log(
    `\nload average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(', ')}`,
  );
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
}

/** Tallies in key order, so two stores' counts compare whatever order their groups came in. */
function sortTallies(c: unknown): unknown {
  const x = c as { tickets: { key: string }[]; answers: { key: string }[]; comments: unknown[] };
  const byKey = (a: { key: string }, b: { key: string }) => (a.key < b.key ? -1 : 1);
  return { tickets: [...x.tickets].sort(byKey), answers: [...x.answers].sort(byKey), comments: x.comments };
}

/** Events and tickets in SQL, as a restore loads them: triggers off, outcomes settled once. */
async function fill(db: string, nowMs: number): Promise<void> {
  const c = new pg.Client({ connectionString: db });
  c.on('error', () => undefined);
  await c.connect();
  await c.query('ALTER TABLE events DISABLE TRIGGER USER');
  await c.query(
    `WITH g AS (
       SELECT n, n / 3 AS c, n % 3 AS k,
              $2::timestamptz - $3 * interval '1 day' + (n / 3)::float8 / ($1 / 3) * $3 * interval '1 day' AS at
         FROM generate_series(0, $1::bigint - 1) n
     ), e AS (
       SELECT n, c, at + k * interval '41 seconds' AS at,
              CASE WHEN k = 1 AND c % 2 = 0 THEN 'feedback' ELSE 'question' END AS type,
              $4::text[] AS ids, (c * 31 + k * 7) % 100 AS roll,
              (ARRAY['widget', 'widget', 'msteams', 'api', 'webchat'])[1 + c % 5] AS channel
         FROM g)
     INSERT INTO events (id, at, day, type, conversation_id, doc)
     SELECT md5(n::text), at, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD'), type, 'conv-' || c,
            jsonb_strip_nulls(jsonb_build_object('id', md5(n::text),
              'at', to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'type', type,
              'conversationId', 'conv-' || c, 'channel', channel, 'lang', 'en')
            || CASE type WHEN 'question' THEN jsonb_build_object('question', 'how do I', 'reply', repeat('Steps. ', 60),
                 'action', CASE WHEN roll < 60 THEN 'answer' ELSE 'clarify' END,
                 'articleId', CASE WHEN roll < 60 THEN ids[1 + c % 4] END,
                 'shown', jsonb_build_array(jsonb_build_object('articleId', ids[1 + c % 4], 'confidence', 0.9)), 'ranked', '[]'::jsonb)
               ELSE jsonb_build_object('articleId', ids[1 + c % 4], 'helpful', c % 3 <> 0, 'next', 'resolved', 'shown', '[]'::jsonb, 'reply', 'Thanks') END)
       FROM e`,
    [EVENTS, new Date(nowMs).toISOString(), DAYS, ARTICLES],
  );
  await c.query('ALTER TABLE events ENABLE TRIGGER USER');
  await c.query('SELECT question_outcomes_rebuild()');
  await c.query(
    `WITH g AS (SELECT n, $2::timestamptz - $3 * interval '1 day' + n::float8 / $1 * $3 * interval '1 day' AS at
                  FROM generate_series(1, $1::bigint) n)
     INSERT INTO tickets (id, seq, status, channel, lang, created_at, updated_at, doc)
     SELECT 'T-' || n, n, CASE WHEN n % 3 < 2 THEN 'solved' ELSE 'open' END, 'widget', 'en', at, at,
            jsonb_strip_nulls(jsonb_build_object('id', 'T-' || n, 'channel', 'widget', 'lang', 'en',
              'status', CASE WHEN n % 3 < 2 THEN 'solved' ELSE 'open' END,
              'createdAt', to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
              'category', (ARRAY['Billing', 'Network', NULL])[1 + n % 3], 'assignee', (ARRAY['marta', 'luis', NULL, NULL])[1 + n % 4],
              'shown', jsonb_build_array(jsonb_build_object('articleId', ($4::text[])[1 + n % 4], 'title', 't', 'confidence', 0.4)),
              'transcript', (SELECT jsonb_agg(jsonb_build_object('from', 'user', 'text', md5((n * 10 + i)::text) || repeat(' words', 40))) FROM generate_series(1, 6) i),
              'messages', jsonb_build_array(jsonb_build_object('id', 'm1', 'from', 'agent', 'internal', false, 'author', 'ana', 'text', 'Hi', 'at', to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))),
              'solvedAt', CASE WHEN n % 3 < 2 THEN to_char((at + interval '2 hours') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') END,
              'rating', CASE WHEN n % 3 = 0 THEN jsonb_build_object('score', CASE WHEN n % 5 = 0 THEN 'bad' ELSE 'good' END,
                'at', to_char((at + interval '3 hours') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                'comment', CASE WHEN n % 7 = 0 THEN 'ok' END) END))
       FROM g`,
    [TICKETS, new Date(nowMs).toISOString(), DAYS, ARTICLES],
  );
  await c.query(`SELECT setval('ticket_seq', $1)`, [TICKETS]);
  await c.query('VACUUM ANALYZE events, question_outcomes, tickets');
  await c.end();
}
