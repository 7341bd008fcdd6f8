/**
 * Benchmark: migration 0017 (ticket facts packed in SQL) on a database of
 * N tickets whose facts are stored keyed, as before it (issue 18), and what
 * it blocks meanwhile.
 *
 *   npx tsx bench/packMigrationLocks.ts [tickets=140000] [database=deflect_bench_pack] [--keep]
 *
 * Imports the synthetic tickets (bench/syntheticTickets.ts) into the named
 * database unless it holds some, rewrites their facts keyed, then runs the
 * migration's UPDATE in a transaction as migrate() does; one second in, it
 * sends a ticket update, a facts write (what a report's refresh does) and a
 * ticket deletion on connections of their own and prints how long each
 * waited. Prints the statement's wall time and its backend's CPU (read
 * from /proc: a local server only). Drops the database unless --keep.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import pg from 'pg';
import { ticketFacts } from '../core/reports/ticketFacts.ts';
import { openStores } from '../core/storage/openStores.ts';
import { PgImport } from '../core/storage/postgres/pgImport.ts';
import { synthTickets } from './syntheticTickets.ts';

const ADMIN = 'postgres://postgres@127.0.0.1:5432/postgres';
const NAME = process.argv[3] ?? 'deflect_bench_pack';
const url = new URL(ADMIN);
url.pathname = `/${NAME}`;
const N = Number(process.argv[2] ?? 140000);
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
const cpu = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1e6;
};
const admin = new pg.Client({ connectionString: ADMIN });
await admin.connect();
const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [NAME])).rows.length;
if (!exists) await admin.query(`CREATE DATABASE ${NAME}`);
const pool = new pg.Pool({ connectionString: url.toString(), max: 4 });
const stores = await openStores({
  dataDir: os.tmpdir(),
  bot: { stateTtlDays: 30 },
  storage: { databaseUrl: url.toString(), redisKeyPrefix: `${NAME}:` },
});
await stores.close();
const { tickets } = synthTickets(N);
if (!Number((await pool.query('SELECT count(*) AS n FROM tickets')).rows[0].n)) {
  const t0 = performance.now();
  await new PgImport(pool).tickets(tickets, tickets.length);
  console.log(`imported ${N} in ${((performance.now() - t0) / 1000).toFixed(0)} s, load ${load()}`);
}
// As an instance before 0017 stored them: keyed objects.
const t1 = performance.now();
for (let i = 0; i < tickets.length; i += 5000) {
  const f = tickets.slice(i, i + 5000).map(ticketFacts);
  await pool.query(
    `UPDATE ticket_facts t SET facts = e.f FROM json_array_elements($2::json) WITH ORDINALITY AS e(f, i)
       JOIN unnest($1::text[]) WITH ORDINALITY AS u(id, i) USING (i) WHERE t.id = u.id`,
    [f.map((x) => x.id), JSON.stringify(f)],
  );
}
await pool.query('VACUUM ANALYZE ticket_facts');
console.log(
  `keyed facts written in ${((performance.now() - t1) / 1000).toFixed(0)} s; size ${(await pool.query("SELECT pg_size_pretty(pg_total_relation_size('ticket_facts')) AS s")).rows[0].s}`,
);
const sql = await fs.readFile(new URL('../migrations/postgres/0017_packed_ticket_facts.sql', import.meta.url), 'utf8');
const ids = (await pool.query<{ id: string }>('SELECT id FROM tickets ORDER BY id LIMIT 3')).rows.map((r) => r.id);
const m = await pool.connect();
const pid = (await m.query<{ p: number }>('SELECT pg_backend_pid() AS p')).rows[0]!.p;
const backendCpu = async () => {
  try {
    const f = (await fs.readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return NaN;
  }
};
const b0 = await backendCpu();
console.log(`migration starts, load ${load()}`);
const c0 = cpu();
const t0 = performance.now();
await m.query('BEGIN');
const running = m.query(sql).then(async (r) => {
  const ms = performance.now() - t0;
  console.log(`  backend CPU of the UPDATE: ${((await backendCpu()) - b0).toFixed(1)} s`);
  await m.query('COMMIT');
  return { ms, rows: r.rowCount };
});
await new Promise((r) => setTimeout(r, 1000));
const timed = async (what: string, q: string, v: unknown[]) => {
  const c = await pool.connect();
  const s = performance.now();
  await c.query(q, v);
  const e = performance.now();
  c.release();
  return `  ${what}: waited ${((e - s) / 1000).toFixed(2)} s (started at +${((s - t0) / 1000).toFixed(1)} s, done at +${((e - t0) / 1000).toFixed(1)} s)`;
};
for (const line of await Promise.all([
  timed('UPDATE tickets (one ticket) + its queue trigger', 'UPDATE tickets SET doc = doc WHERE id = $1', [ids[0]]),
  timed(
    'UPDATE ticket_facts (storeTicketFacts of one ticket)',
    'UPDATE ticket_facts SET row_version = row_version WHERE id = $1',
    [ids[1]],
  ),
  timed('DELETE tickets (one ticket, cascades to its facts)', 'DELETE FROM tickets WHERE id = $1', [ids[2]]),
]))
  console.log(line);
const { ms, rows } = await running;
console.log(
  `migration: ${rows} rows in ${(ms / 1000).toFixed(1)} s wall (its statement; server-side CPU not in this process's ${(cpu() - c0).toFixed(2)} s), load ${load()}`,
);
m.release();
await pool.end();
// Not WITH (FORCE) at once: pool.end() resolves before the server has seen its sessions go, and one
// terminated meanwhile reaches a client the pool let go as an uncaught error (see test/helpers/services.ts).
for (let i = 0; i < 200; i++) {
  const { rows } = await admin.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1',
    [NAME],
  );
  if (!rows[0]!.n) break;
  await new Promise((resolve) => setTimeout(resolve, 10));
}
if (!process.argv.includes('--keep')) await admin.query(`DROP DATABASE ${NAME} WITH (FORCE)`);
await admin.end();
