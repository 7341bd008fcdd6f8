/**
 * Benchmark: a process's first tickets report on PostgreSQL (issue 18),
 * over the tickets of bench/ticketReport.ts (140,000, ~1,000,000 events).
 *
 *   npx tsx bench/ticketFirstReport.ts [--tickets 140000] [--runs 3] [--wait 30] [--database URL]
 *
 * Imports the tickets into a scratch database (or uses --database, importing
 * only when it holds no tickets), then times, each in a new process of its
 * own, the 180-day report by category:
 *   - first 180-day report of a new process: stores opened, no warm-up, report at once;
 *   - the same after a 30-day report (the facts of the other 150 days not yet decoded);
 *   - first report after start: the stores opened as a server opens them, warm-up started
 *     (createCore), report at once;
 *   - report --wait seconds after start.
 * Prints wall and CPU time of the report, the CPU of the whole process
 * since its stores opened, its RSS, and whether every report is
 * byte-identical to the report computed over the tickets in memory.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { reportTickets } from '../core/commands/reportTickets.ts';
import { periodOf } from '../core/reports/period.ts';
import { ticketFacts } from '../core/reports/ticketFacts.ts';
import { ticketReport } from '../core/reports/tickets.ts';
import { openStores } from '../core/storage/openStores.ts';
import { PgImport } from '../core/storage/postgres/pgImport.ts';
import { withScratchDatabase } from './scratchDatabase.ts';
import { index, NOW, synthTickets } from './syntheticTickets.ts';

const { values } = parseArgs({
  options: {
    tickets: { type: 'string', default: '140000' },
    runs: { type: 'string', default: '3' },
    wait: { type: 'string', default: '30' },
    database: { type: 'string' },
    child: { type: 'string' },
  },
});
const WIDE = { from: '2026-06-04', to: '2026-11-30', groupBy: 'category' as const, now: NOW };
const NARROW = { from: '2026-11-01', to: '2026-11-30', groupBy: 'day' as const, now: NOW };
const MODES = {
  cold: 'first 180-day report of a new process',
  'after-30d': '… after a 30-day report',
  start: 'first report after start (warm-up)',
  'start-wait': `report ${values.wait} s after start`,
} as const;
type Mode = keyof typeof MODES;

interface Measured {
  wall: number;
  cpu: number;
  processCpu: number;
  rssMb: number;
  digest: string;
  load: string;
}

const digest = (report: unknown) => createHash('sha256').update(JSON.stringify(report)).digest('hex').slice(0, 16);
const cpuNow = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1e6;
};
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

/** One mode, in this (new) process: prints its Measured as a JSON line. */
async function child(mode: Mode, url: string): Promise<void> {
  const stores = await openStores({
    dataDir: os.tmpdir(),
    bot: { stateTtlDays: 30 },
    storage: { databaseUrl: url, redisKeyPrefix: 'b:' },
  });
  const core = { tickets: stores.tickets, index };
  const opened = cpuNow();
  if (mode === 'start' || mode === 'start-wait') stores.tickets.warmReportFacts?.();
  if (mode === 'start-wait') await new Promise((resolve) => setTimeout(resolve, Number(values.wait) * 1000));
  if (mode === 'after-30d') await reportTickets(core, NARROW);
  const c0 = cpuNow();
  const t0 = performance.now();
  const report = await reportTickets(core, WIDE);
  const measured: Measured = {
    wall: (performance.now() - t0) / 1000,
    cpu: cpuNow() - c0,
    processCpu: cpuNow() - opened,
    rssMb: process.memoryUsage().rss / 1e6,
    digest: digest(report),
    load: load(),
  };
  await stores.close();
  process.stdout.write(`${JSON.stringify(measured)}\n`);
}

function spawnChild(mode: Mode, url: string): Measured {
  const run = spawnSync(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', mode, '--database', url, '--wait', values.wait!],
    { encoding: 'utf8' },
  );
  const line = run.stdout.split('\n').find((l) => l.startsWith('{"wall"'));
  if (!line) throw new Error(`the ${mode} child printed no figures:\n${run.stdout}\n${run.stderr}`);
  return JSON.parse(line) as Measured;
}

async function main(url: string): Promise<void> {
  const { tickets, events } = synthTickets(Number(values.tickets));
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  const opened = await openStores({
    dataDir: os.tmpdir(),
    bot: { stateTtlDays: 30 },
    storage: { databaseUrl: url, redisKeyPrefix: 'b:' },
  });
  await opened.close();
  const held = Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM tickets')).rows[0]!.n);
  if (!held) {
    const t0 = performance.now();
    await new PgImport(pool).tickets(tickets, tickets.length);
    await pool.query('ANALYZE');
    process.stdout.write(`imported in ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
  }
  await pool.end();
  const period = periodOf(WIDE, { windowDays: 0, now: NOW });
  const expected = digest(ticketReport(tickets.map(ticketFacts), period, 'category', index.get().manifest.sla, NOW));
  process.stdout.write(`${tickets.length} tickets, ${events} events (database held ${held}); load average ${load()}\n`);
  const fmt = (m: Measured) =>
    `${m.wall.toFixed(2)} s wall, ${m.cpu.toFixed(2)} s CPU (process ${m.processCpu.toFixed(2)} s), ` +
    `RSS ${m.rssMb.toFixed(0)} MB, load ${m.load}${m.digest === expected ? '' : ', FIGURES DIFFER'}`;
  for (const mode of Object.keys(MODES) as Mode[]) {
    const runs = mode === 'start-wait' ? 1 : Number(values.runs);
    for (let r = 0; r < runs; r++) process.stdout.write(`  ${MODES[mode].padEnd(40)} ${fmt(spawnChild(mode, url))}\n`);
  }
  process.stdout.write(`expected figures ${expected}; load average at the end ${load()}\n`);
}

if (values.child) await child(values.child as Mode, values.database!);
else if (values.database) await main(values.database);
else await withScratchDatabase(main);
