/**
 * Benchmark: the agent inbox's queue queries.
 *
 *   npx tsx bench/ticketQueue.ts [--tickets 20000] [--runs 20]
 *
 * Fills each ticket store with N synthetic tickets (a fifth open, a tenth
 * assigned, Spanish and English subjects), then times what one inbox load
 * asks: the first page of open tickets, the same filtered by words
 * (TicketQuery.text: folded substring over six fields, no index) and by
 * assignee, and the counts per status (countTickets: one list total per
 * status). Embedded (in memory after start) first, then PostgreSQL
 * (DATABASE_URL, or a fresh database on 127.0.0.1). Prints the median and
 * the slowest of `--runs` runs of each.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { withScratchDatabase } from './scratchDatabase.ts';
import { countTickets } from '../core/commands/countTickets.ts';
import { listTickets } from '../core/commands/listTickets.ts';
import { openStores } from '../core/storage/openStores.ts';
import type { Stores } from '../core/storage/ports.ts';
import type { Ticket } from '../core/tickets/types.ts';

const { values } = parseArgs({
  options: { tickets: { type: 'string', default: '20000' }, runs: { type: 'string', default: '20' } },
});
const N = Number(values.tickets);
const RUNS = Number(values.runs);
const SUBJECTS = [
  'No puedo entrar a mi cuenta',
  'La VPN no conecta',
  'Printer jammed again',
  'Invoice missing for March',
];
const STATUSES = ['open', 'pending', 'on_hold', 'solved', 'closed'] as const;

/** N tickets, oldest first, one minute apart. */
function synthTickets(): Ticket[] {
  const start = Date.parse('2026-01-01T00:00:00Z');
  return Array.from({ length: N }, (_, i) => {
    const at = new Date(start + i * 60_000).toISOString();
    return {
      id: `T-${String(i + 1).padStart(6, '0')}`,
      status: STATUSES[i % 5]!,
      createdAt: at,
      updatedAt: at,
      channel: i % 3 ? 'widget' : 'msteams',
      lang: i % 2 ? 'en' : 'es',
      email: `user${i}@example.com`,
      name: `Persona ${i}`,
      subject: `${SUBJECTS[i % SUBJECTS.length]} #${i}`,
      description: 'Lorem ipsum dolor sit amet, consectetur adipiscing elit.',
      reason: 'no_answer',
      transcript: [],
      shown: [],
      failedQuestion: SUBJECTS[(i + 1) % SUBJECTS.length],
      ...(i % 10 === 0 ? { assignee: 'Marta' } : {}),
      tags: [],
      notes: [],
      messages: [],
    };
  });
}

async function time(label: string, fn: () => Promise<unknown>): Promise<void> {
  const ms: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  process.stdout.write(
    `  ${label.padEnd(38)} median ${ms[Math.floor(ms.length / 2)]!.toFixed(1)} ms, slowest ${ms.at(-1)!.toFixed(1)} ms\n`,
  );
}

async function run(name: string, stores: Stores): Promise<void> {
  process.stdout.write(`${name}, ${N} tickets:\n`);
  const core = { tickets: stores.tickets };
  await time('open, first page of 50', () => listTickets(core, { status: 'open', pageSize: 50 }));
  await time('open, text "vpn no"', () => listTickets(core, { status: 'open', text: 'vpn no', pageSize: 50 }));
  await time('open, assignee Marta', () => listTickets(core, { status: 'open', assignee: 'Marta', pageSize: 50 }));
  await time('counts per status', () => countTickets(core, {}));
  await time('counts per status, text "invoice"', () => countTickets(core, { text: 'invoice' }));
}

const bot = { stateTtlDays: 30 };
const tickets = synthTickets();
const tmp = mkdtempSync(path.join(os.tmpdir(), 'deflect-bench-queue-'));
try {
  const dir = path.join(tmp, 'embedded');
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'tickets.json'), JSON.stringify({ seq: N, tickets }));
  const embedded = await openStores({ dataDir: dir, bot });
  await run('embedded', embedded);
  await embedded.close();

  await withScratchDatabase(async (url) => {
    const stores = await openStores({
      dataDir: path.join(tmp, 'pg'),
      bot,
      storage: { databaseUrl: url, redisKeyPrefix: 'b:' },
    });
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    for (let i = 0; i < N; i += 1000) {
      const batch = tickets.slice(i, i + 1000);
      await client.query(
        `INSERT INTO tickets (id, seq, status, channel, lang, tags, created_at, updated_at, doc)
         SELECT id, seq, status, channel, lang, '{}'::text[], created_at, updated_at, doc
         FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::timestamptz[], $8::jsonb[])
           AS u(id, seq, status, channel, lang, created_at, updated_at, doc)`,
        [
          batch.map((t) => t.id),
          batch.map((t) => Number(t.id.slice(2))),
          batch.map((t) => t.status),
          batch.map((t) => t.channel),
          batch.map((t) => t.lang),
          batch.map((t) => t.createdAt),
          batch.map((t) => t.updatedAt),
          batch.map((t) => JSON.stringify(t)),
        ],
      );
    }
    await client.query(`SELECT setval('ticket_seq', ${N})`);
    await client.query('ANALYZE tickets');
    await client.end();
    await run('postgres', stores);
    await stores.close();
  });
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
