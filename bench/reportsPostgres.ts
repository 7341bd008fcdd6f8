/**
 * Benchmark: the deflection report over 10,000,000 events in PostgreSQL.
 *
 *   npm run bench:reports-pg -- [--events 10000000] [--days 365] [--keep] [--database NAME]
 *
 * Creates a scratch database (deflect_bench_<random>, dropped at the end
 * unless --keep) on BENCH_DATABASE_URL's server (default the local one),
 * migrates it, and fills the event log in SQL with generate_series:
 * conversations of three events (questions answered, clarified or not; "did
 * this help?" verdicts; tickets with their reasons), both languages, four
 * channels, a third of askers identified across conversations, spread over
 * the last `days` days, and settles every question's outcome in one pass
 * (question_outcomes_rebuild, migration 0010). `--database NAME` reuses a
 * database an earlier run kept (its events were loaded relative to that
 * run's clock; pending migrations run and are timed, it is never dropped).
 * Then it times the report through Reports and the PostgreSQL adapter, as
 * the server runs it:
 *
 * - the first report over 30, 90 and 365 days, which builds the rollups of the closed days it adds;
 * - cold: a new connection pool and Reports (a freshly started instance) per report;
 * - warm: the same instance asked again;
 * - at the end, appends with and without the triggers that keep outcomes.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { loadKnowledgeBase } from '../core/articles/loadKb.ts';
import { DEFAULT_THRESHOLDS } from '../core/answers/pipeline/decide.ts';
import type { GroupBy } from '../core/reports/deflection.ts';
import { FactStore } from '../core/reports/factStore.ts';
import { Reports } from '../core/reports/reports.ts';
import { openStores } from '../core/storage/openStores.ts';
import type { Stores } from '../core/storage/ports.ts';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '10000000' },
    days: { type: 'string', default: '365' },
    keep: { type: 'boolean', default: false },
    database: { type: 'string' },
  },
});
const TOTAL = Number(values.events);
const DAYS = Number(values.days);
const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const CHUNK = 1_000_000;

const kb = await loadKnowledgeBase('kb-content', { defaultLang: 'en' });
const articles = new Map(kb.articles.map((a) => [a.id, a]));
const ids = kb.articles.filter((a) => a.status === 'published').map((a) => a.id);

const reuse = values.database;
const name = reuse ?? `deflect_bench_${randomBytes(4).toString('hex')}`;
const admin = new pg.Client({ connectionString: ADMIN_URL });
await admin.connect();
if (!reuse) await admin.query(`CREATE DATABASE ${name}`);
const url = new URL(ADMIN_URL);
url.pathname = `/${name}`;
const open = () =>
  openStores({
    dataDir: os.tmpdir(),
    bot: { stateTtlDays: 30 },
    storage: { databaseUrl: url.toString(), redisKeyPrefix: 'bench:' },
  });

const figures: string[] = [];
try {
  const migrateStart = performance.now();
  let stores = await open();
  const migrateS = (performance.now() - migrateStart) / 1000;
  let now = Date.now();
  if (reuse) {
    // The events end where the kept run's clock was: report as of then, so the periods hold what they held.
    const probe = new pg.Client({ connectionString: url.toString() });
    await probe.connect();
    now = Date.parse((await probe.query<{ t: Date }>('SELECT max(at) AS t FROM events')).rows[0]!.t.toISOString()) + 1;
    await probe.end();
    const line = `| open the kept database: pending migrations (0010 fills question_outcomes from the log) | ${migrateS.toFixed(1)} s |`;
    console.log(line);
    figures.push(line);
  } else await load(now);
  const reportsOn = (s: Stores) =>
    new Reports({
      store: FactStore.forDataDir(s.events, os.tmpdir(), { cache: false, figures: s.reportFigures }),
      articles: () => articles,
      kbDir: 'kb-content',
      windowDays: 7,
      clarifyThreshold: DEFAULT_THRESHOLDS.clarify,
      now: () => now,
    });
  const time = async (reports: Reports, days: number, groupBy: GroupBy) => {
    const start = performance.now();
    const r = await reports.deflection({ from: new Date(now - days * 86_400_000).toISOString() }, groupBy);
    return { ms: performance.now() - start, questions: r.totals.questions, rate: r.totals.deflectionRate };
  };

  // Shortest period first: each one's first report builds the rollups of the closed days it adds.
  for (const days of [30, 90, 365].filter((d) => d <= DAYS)) {
    const first = await time(reportsOn(stores), days, 'day');
    const line = `| first report over ${days} days: builds the rollups of the closed days not built yet | ${(first.ms / 1000).toFixed(1)} s |`;
    console.log(line);
    figures.push(line);
    for (const groupBy of ['day', 'tag'] as const) {
      await stores.close();
      stores = await open();
      const cold = await time(reportsOn(stores), days, groupBy);
      const warmRuns = [];
      const reports = reportsOn(stores);
      for (let i = 0; i < 3; i++) warmRuns.push((await time(reports, days, groupBy)).ms);
      const warm = Math.min(...warmRuns);
      const line = `| deflection report, ${days} days by ${groupBy} (${cold.questions.toLocaleString('en')} questions, rate ${cold.rate}) | cold ${(cold.ms / 1000).toFixed(2)} s, warm ${(warm / 1000).toFixed(2)} s |`;
      console.log(line);
      figures.push(line);
    }
  }
  await stores.close();
  for (const line of await appendCost(now)) {
    console.log(line);
    figures.push(line);
  }
} finally {
  await admin.end();
  if (!values.keep && !reuse) {
    const drop = new pg.Client({ connectionString: ADMIN_URL });
    await drop.connect();
    await drop.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await drop.end();
  } else console.log(`kept database ${name}`);
}
console.log(
  `\n| Measure (PostgreSQL ${TOTAL.toLocaleString('en')} events) | Figure |\n|---|---|\n${figures.join('\n')}`,
);

/** Fill the event log in SQL as a restore does it: indexes built once at the end, day versions and outcomes set once. */
async function load(now: number): Promise<void> {
  const fill = new pg.Client({ connectionString: url.toString() });
  await fill.connect();
  const t0 = performance.now();
  // A bulk load, as a restore does it: indexes built once at the end, day versions set once.
  await fill.query(`ALTER TABLE events DISABLE TRIGGER USER`);
  await fill.query(`ALTER TABLE events DROP CONSTRAINT events_id_key`);
  for (const index of ['events_by_day', 'events_by_conversation', 'events_by_at'])
    await fill.query(`DROP INDEX ${index}`);
  for (let first = 0; first < TOTAL; first += CHUNK) {
    await fill.query(fillSql(), [first, Math.min(first + CHUNK, TOTAL), TOTAL, DAYS, new Date(now).toISOString(), ids]);
    process.stdout.write(`\rfilled ${Math.min(first + CHUNK, TOTAL).toLocaleString('en')} events`);
  }
  process.stdout.write(', indexing');
  await fill.query(`SET maintenance_work_mem = '512MB'`);
  await fill.query(`ALTER TABLE events ADD CONSTRAINT events_id_key UNIQUE (id)`);
  await fill.query(`CREATE INDEX events_by_day ON events (day, seq)`);
  await fill.query(`CREATE INDEX events_by_conversation ON events (conversation_id, seq)`);
  await fill.query(`CREATE INDEX events_by_at ON events (at)`);
  await fill.query(`ALTER TABLE events ENABLE TRIGGER USER`);
  await fill.query(
    `INSERT INTO event_day_versions SELECT day, nextval('event_day_version') FROM (SELECT DISTINCT day FROM events ORDER BY day) d`,
  );
  const settleStart = performance.now();
  await fill.query('SELECT question_outcomes_rebuild()');
  const settleS = (performance.now() - settleStart) / 1000;
  // The articles and gaps reports' tables (migration 0014), which the disabled triggers did not keep either.
  await fill.query('SELECT report_insight_rebuild()');
  await fill.query('VACUUM ANALYZE events, question_outcomes, report_article_events, report_question_texts');
  const loadS = (performance.now() - t0) / 1000;
  const size = (await fill.query<{ s: string }>(`SELECT pg_size_pretty(pg_database_size(current_database())) AS s`))
    .rows[0]!.s;
  const mix = (
    await fill.query<{ type: string; n: string }>('SELECT type, count(*) AS n FROM events GROUP BY type ORDER BY type')
  ).rows;
  await fill.end();
  console.log(`\nloaded in ${loadS.toFixed(0)} s (${size}): ${mix.map((r) => `${r.n} ${r.type}`).join(', ')}`);
  figures.push(
    `| load ${TOTAL.toLocaleString('en')} events over ${DAYS} days (generate_series, then indexes) | ${loadS.toFixed(0)} s, ${size} |`,
    `| of which every question's outcome settled in one pass (question_outcomes_rebuild) | ${settleS.toFixed(0)} s |`,
  );
}

/**
 * What keeping outcomes costs an append (the INSERT PgEventStore.append
 * makes): a question, its feedback and a ticket from people the log already
 * knows, with the triggers of migration 0010 and without, each pass in a
 * transaction rolled back, so the database is left as it was. On a loaded
 * machine wall time mostly measures the wait for a core: the backend's own
 * CPU time (/proc, when the server is local) is the figure to compare.
 */
async function appendCost(now: number): Promise<string[]> {
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  const lines: string[] = [];
  const backend = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
  try {
    for (const kept of [false, true]) {
      const cpuBefore = backendCpuMs(backend);
      await client.query('BEGIN');
      if (!kept) await client.query('ALTER TABLE events DISABLE TRIGGER events_outcomes_inserted');
      const ms: number[] = [];
      for (let i = 0; i < 300; i++) {
        const type = (['question', 'feedback', 'ticket'] as const)[i % 3]!;
        const at = new Date(now - 60_000 + i * 10).toISOString();
        const doc = {
          id: `append-${kept}-${i}`,
          at,
          type,
          conversationId: `append-${Math.floor(i / 3)}`,
          channel: 'widget',
          lang: 'en',
          user: { id: `u${(i * 7919) % 200000}` },
          ...(type === 'question'
            ? { question: 'q', action: 'answer', articleId: ids[0], shown: [{ articleId: ids[0], confidence: 0.9 }] }
            : type === 'feedback'
              ? { articleId: ids[0], helpful: false, next: 'offer_ticket', shown: [] }
              : { ticketId: `T-x${i}`, reason: 'not_helpful' }),
        };
        const start = performance.now();
        await client.query(
          'INSERT INTO events (id, at, day, type, conversation_id, doc) VALUES ($1, $2, $3, $4, $5, $6)',
          [doc.id, at, at.slice(0, 10), type, doc.conversationId, JSON.stringify(doc)],
        );
        ms.push(performance.now() - start);
      }
      const cpu = backendCpuMs(backend) - cpuBefore;
      await client.query('ROLLBACK');
      ms.sort((a, b) => a - b);
      const q = (p: number) => ms[Math.floor(p * (ms.length - 1))]!.toFixed(2);
      lines.push(
        `| append (question, feedback, ticket; 300), ${kept ? 'outcomes kept by the triggers' : 'without the outcome triggers'} | median ${q(0.5)} ms, p95 ${q(0.95)} ms; database CPU ${Number.isNaN(cpu) ? '?' : (cpu / ms.length).toFixed(2)} ms per append |`,
      );
    }
  } finally {
    await client.end();
  }
  return lines;
}

/** CPU time (user + system) a local PostgreSQL backend has used, in ms; NaN when /proc does not show it. */
function backendCpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // utime and stime are fields 14 and 15 of stat, in clock ticks (100 per second on Linux).
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return NaN;
  }
}

/**
 * Events [$1, $2) of $3, three per conversation, conversations spread evenly
 * over the $4 days before $5; article ids from $6. Attributes come from the
 * conversation number, so its events agree on language, channel and asker.
 */
function fillSql(): string {
  return `
WITH g AS (
  SELECT n, n / 3 AS c, n % 3 AS k,
         $5::timestamptz - $4 * interval '1 day' + (n / 3)::float8 / ($3 / 3) * $4 * interval '1 day' AS at0
    FROM generate_series($1::bigint, $2::bigint - 1) n
), e AS (
  SELECT n, c, k, at0 + k * interval '41 seconds' + (c % 1000) * interval '1 millisecond' AS at,
         CASE WHEN k = 0 THEN 'question'
              WHEN k = 1 AND c * 17 % 100 < 45 THEN 'feedback'
              WHEN k = 2 AND c * 13 % 100 < 18 THEN 'ticket'
              ELSE 'question' END AS type,
         CASE WHEN c % 5 < 2 THEN 'es' ELSE 'en' END AS lang,
         (ARRAY['widget', 'widget', 'msteams', 'api', 'webchat'])[1 + c % 5] AS channel,
         CASE WHEN c % 10 < 3 THEN jsonb_build_object('id', 'u' || (c * 7919 % 200000))
              WHEN c % 10 = 3 THEN jsonb_build_object('email', 'p' || (c * 104729 % 100000) || '@example.com')
              END AS who,
         $6::text[] AS ids,
         (c * 31 + k * 7) % 100 AS roll
    FROM g
)
INSERT INTO events (id, at, day, type, conversation_id, doc)
SELECT md5(n::text), at, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD'), type, 'conv-' || c,
       jsonb_strip_nulls(jsonb_build_object(
         'id', md5(n::text), 'at', to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
         'type', type, 'conversationId', 'conv-' || c, 'channel', channel, 'lang', lang, 'user', who)
       || CASE type
          WHEN 'question' THEN jsonb_build_object(
            'question', 'how do I ' || ids[1 + (c + k) % array_length(ids, 1)],
            'action', CASE WHEN roll < 60 THEN 'answer' WHEN roll < 85 THEN 'clarify' ELSE 'ticket' END,
            'articleId', CASE WHEN roll < 60 THEN ids[1 + (c + k) % array_length(ids, 1)] END,
            'shown', CASE WHEN roll < 60 THEN jsonb_build_array(jsonb_build_object('articleId', ids[1 + (c + k) % array_length(ids, 1)], 'confidence', 0.9))
                          WHEN roll < 85 THEN jsonb_build_array(
                            jsonb_build_object('articleId', ids[1 + (c + k) % array_length(ids, 1)], 'confidence', 0.5),
                            jsonb_build_object('articleId', ids[1 + (c + k + 1) % array_length(ids, 1)], 'confidence', 0.45))
                          ELSE '[]'::jsonb END,
            'ranked', jsonb_build_array(jsonb_build_object('articleId', ids[1 + (c + k) % array_length(ids, 1)], 'confidence', roll / 100.0)),
            'reply', 'Here is what to do: open the settings page and follow the steps.')
          WHEN 'feedback' THEN jsonb_build_object(
            'articleId', ids[1 + c % array_length(ids, 1)], 'helpful', c % 3 <> 0,
            'next', CASE WHEN c % 3 <> 0 THEN 'resolved' ELSE 'offer_ticket' END, 'shown', '[]'::jsonb, 'reply', 'Thanks')
          ELSE jsonb_build_object('ticketId', 'T-' || c, 'reason', (ARRAY['user', 'not_helpful', 'no_answer'])[1 + c % 3])
          END)
  FROM e`;
}
