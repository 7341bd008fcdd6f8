/**
 * Benchmark: the articles and gaps reports over a PostgreSQL event log,
 * before (the in-process scan: every event of the period read into this
 * process, day by day) and after (counted in SQL, ReportFigures.articles and
 * .gapQuestions; only distinct failed texts come back to be clustered).
 *
 *   npx tsx bench/insightReportsPostgres.ts --database NAME [--days 30,90]
 *
 * NAME is a database `npm run bench:reports-pg -- --keep` filled (events
 * loaded relative to that run's clock, so reports are made as of its last
 * event). Opening it runs pending migrations — 0014 fills its two tables
 * from the whole log once — and that is timed. Per report and period:
 *
 * - cold: a new connection pool and Reports (a freshly started instance);
 * - warm: the same instance asked again (the scan memoises a period's
 *   outcomes for a minute; SQL is asked again every time);
 * - wall time, this process's CPU time, and the CPU time of the database's
 *   backends (read from /proc: the server must be local; parallel query is
 *   off, as its workers' CPU time could not be read). On a shared
 *   machine wall time mostly measures the wait for a core.
 *
 * Both paths must give the same report: the bench says whether they did.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import pg from 'pg';
import { DEFAULT_THRESHOLDS } from '../core/answers/pipeline/decide.ts';
import { loadKnowledgeBase } from '../core/articles/loadKb.ts';
import { FactStore } from '../core/reports/factStore.ts';
import { Reports } from '../core/reports/reports.ts';
import { openStores } from '../core/storage/openStores.ts';
import type { Stores } from '../core/storage/ports.ts';
import { ADMIN_URL } from './scratchDatabase.ts';

const { values } = parseArgs({
  options: { database: { type: 'string' }, days: { type: 'string', default: '30,90' } },
});
if (!values.database) throw new Error('--database NAME: a database kept by npm run bench:reports-pg -- --keep');
const url = new URL(ADMIN_URL);
url.pathname = `/${values.database}`;
// Parallel workers are processes of their own, gone before their CPU time can be read: one backend per query.
url.searchParams.set('options', '-c max_parallel_workers_per_gather=0');
const DAYS = values.days.split(',').map(Number);

const kb = await loadKnowledgeBase('kb-content', { defaultLang: 'en' });
const articles = new Map(kb.articles.map((a) => [a.id, a]));
const open = () =>
  openStores({
    dataDir: os.tmpdir(),
    bot: { stateTtlDays: 30 },
    storage: { databaseUrl: url.toString(), redisKeyPrefix: 'bench:' },
  });

const probe = new pg.Client({ connectionString: url.toString() });
await probe.connect();
/** CPU time (user + system, ms) of every backend connected to this database now: only this bench connects to it. */
const databaseCpuMs = async () => {
  const { rows } = await probe.query<{ pid: number }>(
    'SELECT pid FROM pg_stat_activity WHERE datname = current_database()',
  );
  return rows.reduce((sum, r) => sum + backendCpuMs(r.pid), 0);
};

const lines: string[] = [];
const say = (line: string) => {
  console.log(line);
  lines.push(line);
};
const load = (await probe.query<{ n: string }>('SELECT count(*) AS n FROM events')).rows[0]!.n;

const migrateStart = performance.now();
let stores = await open();
say(
  `| open the database: pending migrations (0014 fills its tables from the log) | ${s(performance.now() - migrateStart)} |`,
);
const now =
  Date.parse((await probe.query<{ t: Date }>('SELECT max(at) AS t FROM events')).rows[0]!.t.toISOString()) + 1;
await probe.query('ANALYZE');

const reportsOn = (st: Stores, inSql: boolean) =>
  new Reports({
    store: FactStore.forDataDir(st.events, os.tmpdir(), {
      cache: false,
      figures: inSql ? st.reportFigures : undefined,
    }),
    articles: () => articles,
    kbDir: 'kb-content',
    windowDays: 7,
    clarifyThreshold: DEFAULT_THRESHOLDS.clarify,
    now: () => now,
  });

type Kind = 'articles' | 'gaps';
const run = (r: Reports, kind: Kind, days: number): Promise<unknown> => {
  const period = { from: new Date(now - days * 86_400_000).toISOString() };
  return kind === 'articles' ? r.articles(period) : r.gaps(period);
};
const measure = async (fn: () => Promise<unknown>) => {
  const cpu = process.cpuUsage();
  const db = await databaseCpuMs();
  const start = performance.now();
  const value = await fn();
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { value, ms, nodeMs: (used.user + used.system) / 1000, dbMs: (await databaseCpuMs()) - db };
};

for (const days of DAYS) {
  for (const kind of ['articles', 'gaps'] as const) {
    const results: Record<string, { cold: Awaited<ReturnType<typeof measure>>; warm: number; value: unknown }> = {};
    for (const inSql of [false, true]) {
      await stores.close();
      stores = await open();
      const reports = reportsOn(stores, inSql);
      const cold = await measure(() => run(reports, kind, days));
      const warm: number[] = [];
      for (let i = 0; i < 3; i++) warm.push((await measure(() => run(reports, kind, days))).ms);
      results[inSql ? 'after' : 'before'] = { cold, warm: Math.min(...warm), value: cold.value };
    }
    const { before, after } = results as Record<'before' | 'after', (typeof results)[string]>;
    const size =
      kind === 'articles'
        ? `${(before.value as { rows: unknown[] }).rows.length} articles`
        : `${(before.value as { clusters: { count: number }[] }).clusters.reduce((n, c) => n + c.count, 0).toLocaleString('en')} failed questions in ${(before.value as { clusters: unknown[] }).clusters.length} clusters`;
    const same = isDeepStrictEqual(before.value, after.value) ? 'same report' : 'REPORTS DIFFER';
    const cell = (x: typeof before) =>
      `cold ${s(x.cold.ms)} (CPU node ${s(x.cold.nodeMs)} + db ${s(x.cold.dbMs)}), warm ${s(x.warm)}`;
    say(`| ${kind}, ${days} days (${size}; ${same}) | ${cell(before)} | ${cell(after)} |`);
  }
}
await stores.close();
for (const line of await appendCost()) say(line);
await probe.end();
console.log(
  `\nload average ${os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(
      ' ',
    )}\n\n| Measure (PostgreSQL, ${Number(load).toLocaleString('en')} events) | Before: scan in process | After: counted in SQL |\n|---|---|---|\n${lines.join('\n')}`,
);

/**
 * What keeping 0014's tables costs an append (the INSERT PgEventStore.append
 * makes): a question, its feedback after a "No" with a suggestion, and a
 * ticket, 300 in all, with its triggers and without, each pass rolled back.
 * The database backend's CPU time is the figure to compare.
 */
async function appendCost(): Promise<string[]> {
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  const out: string[] = [];
  const backend = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
  const id = [...articles.keys()][0]!;
  try {
    for (const kept of [false, true]) {
      const cpuBefore = backendCpuMs(backend);
      await client.query('BEGIN');
      if (!kept)
        for (const t of ['events_insight_inserted', 'events_insight_updated', 'events_insight_deleted'])
          await client.query(`ALTER TABLE events DISABLE TRIGGER ${t}`);
      const start = performance.now();
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
            ? {
                question: 'how do I reset my password',
                action: 'answer',
                articleId: id,
                shown: [{ articleId: id, confidence: 0.9 }],
                ranked: [{ articleId: id, confidence: 0.9 }],
              }
            : type === 'feedback'
              ? { articleId: id, helpful: false, next: 'offer_ticket', shown: [{ articleId: id, confidence: 0.4 }] }
              : { ticketId: `T-x${i}`, reason: 'not_helpful' }),
        };
        await client.query(
          'INSERT INTO events (id, at, day, type, conversation_id, doc) VALUES ($1, $2, $3, $4, $5, $6)',
          [doc.id, at, at.slice(0, 10), type, doc.conversationId, JSON.stringify(doc)],
        );
      }
      const ms = (performance.now() - start) / 300;
      const cpu = (backendCpuMs(backend) - cpuBefore) / 300;
      await client.query('ROLLBACK');
      out.push(
        `| append (question, feedback, ticket; 300), ${kept ? 'with' : 'without'} 0014's triggers | mean ${ms.toFixed(2)} ms, database CPU ${cpu.toFixed(2)} ms per append | |`,
      );
    }
  } finally {
    await client.end();
  }
  return out;
}

function s(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

/** CPU time (user + system) a local PostgreSQL backend has used, in ms; 0 when /proc does not show it. */
function backendCpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return 0;
  }
}
