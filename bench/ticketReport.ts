/**
 * Benchmark: the tickets report (GET /api/reports/tickets) over a million
 * ticket events.
 *
 *   npx tsx bench/ticketReport.ts [--tickets 140000] [--runs 5] [--no-pg]
 *
 * Generates N tickets over 180 days — each one's events are its creation,
 * its messages (public replies, customer answers, internal notes), its
 * status changes and its rating: about seven per ticket, so 140,000 tickets
 * ≈ 1,000,000 events — with priorities under an SLA policy (Madrid,
 * Mon–Fri 9–17, so business hours and SLA clocks are computed), reopens,
 * ratings and a backlog. Writes them straight into each store's bulk path
 * (the embedded tickets.json; PostgreSQL's import, core/storage/postgres/
 * pgImport.ts), then times reportTickets as the route calls it: the last 30
 * days by day, the whole period by category and by agent. Prints the first
 * run (a process's first report decodes the facts it reads; PostgreSQL's
 * import has made them) and the median and slowest of the next `--runs`,
 * wall and CPU time of this process.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { withScratchDatabase } from './scratchDatabase.ts';
import { reportTickets } from '../core/commands/reportTickets.ts';
import type { TicketGroupBy } from '../core/reports/tickets.ts';
import { PgImport } from '../core/storage/postgres/pgImport.ts';
import { openStores } from '../core/storage/openStores.ts';
import type { Stores } from '../core/storage/ports.ts';
import { index, NOW, synthTickets } from './syntheticTickets.ts';

const { values } = parseArgs({
  options: {
    tickets: { type: 'string', default: '140000' },
    runs: { type: 'string', default: '5' },
    'no-pg': { type: 'boolean', default: false },
  },
});
const N = Number(values.tickets);
const RUNS = Number(values.runs);

interface Timing {
  wall: number;
  cpu: number;
}

async function timed(fn: () => Promise<unknown>): Promise<Timing> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await fn();
  const c = process.cpuUsage(c0);
  return { wall: (performance.now() - t0) / 1000, cpu: (c.user + c.system) / 1e6 };
}

const QUERIES: Array<[string, { from: string; to: string; groupBy: TicketGroupBy }]> = [
  ['last 30 days by day', { from: '2026-11-01', to: '2026-11-30', groupBy: 'day' }],
  ['180 days by category', { from: '2026-06-04', to: '2026-11-30', groupBy: 'category' }],
  ['180 days by agent', { from: '2026-06-04', to: '2026-11-30', groupBy: 'agent' }],
];

async function run(name: string, stores: Stores): Promise<void> {
  const core = { tickets: stores.tickets, index };
  const first = await timed(() => reportTickets(core, { ...QUERIES[0]![1], now: NOW }));
  const fmt = (t: Timing) => `${t.wall.toFixed(2)} s (${t.cpu.toFixed(2)} s CPU)`;
  process.stdout.write(`${name}:\n  ${'first report'.padEnd(24)} ${fmt(first)}\n`);
  for (const [label, q] of QUERIES) {
    const runs: Timing[] = [];
    for (let r = 0; r < RUNS; r++) runs.push(await timed(() => reportTickets(core, { ...q, now: NOW })));
    runs.sort((x, y) => x.wall - y.wall);
    const median = runs[Math.floor(runs.length / 2)]!;
    process.stdout.write(`  ${label.padEnd(24)} median ${fmt(median)}, slowest ${fmt(runs.at(-1)!)}\n`);
  }
  const r = await reportTickets(core, { ...QUERIES[1]![1], now: NOW });
  process.stdout.write(
    `  (180 days: created ${r.totals.created}, solved ${r.totals.solved}, backlog ${r.totals.backlog}, ` +
      `first response median ${r.totals.firstResponseMedianBusinessHours} business h, SLA first response ${r.totals.slaFirstResponseRate})\n`,
  );
}

const { tickets, events } = synthTickets(N);
process.stdout.write(
  `${N} tickets, ${events} events (creations, messages, status changes, ratings); load average ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(', ')}\n`,
);
const bot = { stateTtlDays: 30 };
const tmp = mkdtempSync(path.join(os.tmpdir(), 'deflect-bench-ticket-report-'));
try {
  const dir = path.join(tmp, 'embedded');
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'tickets.json'), JSON.stringify({ seq: N, tickets }));
  const embedded = await openStores({ dataDir: dir, bot });
  await run('embedded', embedded);
  await embedded.close();

  if (!values['no-pg']) {
    await withScratchDatabase(async (url) => {
      const stores = await openStores({
        dataDir: path.join(tmp, 'pg'),
        bot,
        storage: { databaseUrl: url, redisKeyPrefix: 'b:' },
      });
      const pool = new pg.Pool({ connectionString: url, max: 2 });
      const imported = await timed(() => new PgImport(pool).tickets(tickets, N));
      await pool.query('ANALYZE tickets');
      await pool.end();
      process.stdout.write(
        `postgres import (bulk path): ${imported.wall.toFixed(1)} s (${imported.cpu.toFixed(2)} s CPU in this process)\n`,
      );
      await run('postgres', stores);
      await stores.close();
    });
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
process.stdout.write(
  `load average at the end ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(', ')}\n`,
);
