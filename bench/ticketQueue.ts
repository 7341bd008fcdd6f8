/**
 * Benchmark: the agent inbox's queue queries.
 *
 *   npx tsx bench/ticketQueue.ts [--tickets 20000] [--runs 20] [--stores embedded,postgres]
 *
 * Fills each ticket store with N synthetic tickets (a fifth open, a tenth
 * assigned, Spanish and English subjects), then times what one inbox load
 * asks: the first page of open tickets, the same filtered by words
 * (TicketQuery.text: folded substring over six fields, no index) and by
 * assignee, and the counts per status (countTickets: one list total per
 * status), and a team's queue in queue order (sort=queue: priority, then
 * SLA due time under a business-hours policy, then age; 3 teams, P1–P4 or
 * none), and the first page of open tickets with each ticket's SLA (as the
 * inbox lists them: the server passes the served snapshot's policy). Embedded (in memory after start) first, then PostgreSQL
 * (DATABASE_URL, or a fresh database on 127.0.0.1). Prints the median and
 * the slowest of `--runs` runs of each, and this process's median CPU time
 * per run (the machine may be shared: wall times inflate, CPU less so).
 */
import { createHash } from 'node:crypto';
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
import { slaSchema } from '../core/sla/slaPolicy.ts';
import type { CoreServices } from '../core/services.ts';

const { values } = parseArgs({
  options: {
    tickets: { type: 'string', default: '20000' },
    runs: { type: 'string', default: '20' },
    stores: { type: 'string', default: 'embedded,postgres' },
  },
});
const STORES = values.stores.split(',');
const N = Number(values.tickets);
const RUNS = Number(values.runs);
const SUBJECTS = [
  'No puedo entrar a mi cuenta',
  'La VPN no conecta',
  'Printer jammed again',
  'Invoice missing for March',
];
const STATUSES = ['open', 'pending', 'on_hold', 'solved', 'closed'] as const;
const TEAMS = ['billing', 'network', 'helpdesk'] as const;
const PRIORITIES = ['P1', 'P2', 'P3', 'P4', undefined] as const;
/** What sort=queue reads from the served snapshot: an SLA policy on business hours, and one first-come-first-served team. */
const MANIFEST = {
  manifest: {
    routing: { defaults: {}, rules: [], teams: { helpdesk: { queue: 'fifo' } } },
    sla: slaSchema.parse({
      timezone: 'Europe/Madrid',
      hours: { 'mon-fri': ['09:00-14:00', '15:00-18:00'] },
      holidays: ['2026-01-06'],
      targets: {
        P1: { firstResponse: '1h', resolution: '8h' },
        P2: { firstResponse: '4h' },
        P3: { resolution: '40h' },
      },
      plans: { paid: { P3: { firstResponse: '2h' } } },
    }),
  },
};
// Parsed once, as a served snapshot holds it: a get() that parsed the policy each call cost ~0.3 ms per listed ticket.
const INDEX = { get: () => MANIFEST } as unknown as CoreServices['index'];

/** N tickets, oldest first, one minute apart. */
function synthTickets(): Ticket[] {
  // The last two weeks or so before this bench was written: the old code walked the SLA calendar from each open ticket to now.
  const start = Date.parse('2026-11-22T00:00:00Z');
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
      team: TEAMS[i % 3]!,
      ...(PRIORITIES[(i % 7) % 5] ? { priority: PRIORITIES[(i % 7) % 5] } : {}),
      ...(i % 4 === 0 ? { attributes: { plan: 'paid' } } : {}),
      ...(i % 6 === 0 ? { firstResponseAt: new Date(start + i * 60_000 + 3_600_000).toISOString() } : {}),
      tags: [],
      notes: [],
      messages: [],
    };
  });
}

async function time(label: string, fn: () => Promise<unknown>): Promise<void> {
  const ms: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  ms.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  const median = (xs: number[]) => xs[Math.floor(xs.length / 2)]!.toFixed(1);
  process.stdout.write(
    `  ${label.padEnd(38)} median ${median(ms)} ms, slowest ${ms.at(-1)!.toFixed(1)} ms, cpu median ${median(cpu)} ms\n`,
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
  const queued = { ...core, index: INDEX };
  await time('open, first page of 50, with SLA', () => listTickets(queued, { status: 'open', pageSize: 50 }));
  await time('open, page 20, with SLA', () => listTickets(queued, { status: 'open', page: 20, pageSize: 50 }));
  await time('queue billing, first page', () => listTickets(queued, { team: 'billing', sort: 'queue', pageSize: 50 }));
  await time('queue billing, page 20', () =>
    listTickets(queued, { team: 'billing', sort: 'queue', page: 20, pageSize: 50 }),
  );
  await time('queue helpdesk (fifo), first page', () =>
    listTickets(queued, { team: 'helpdesk', sort: 'queue', pageSize: 50 }),
  );
  await time('queue all teams, first page', () => listTickets(queued, { sort: 'queue', pageSize: 50 }));
  // What the queue rows returned, to compare across stores and versions: a digest of the ids of a few pages.
  const pages = [];
  for (const [team, page] of [
    ['billing', 1],
    ['billing', 20],
    ['helpdesk', 3],
    [undefined, 1],
  ] as const)
    pages.push((await listTickets(queued, { team, sort: 'queue', page, pageSize: 50 })).tickets.map((t) => t.id));
  process.stdout.write(
    `  queue order digest ${createHash('sha256').update(JSON.stringify(pages)).digest('hex').slice(0, 16)}\n`,
  );
  // The SLA each listed ticket shows, at a fixed instant, to compare across versions (sla, due and clocks).
  const now = new Date('2026-12-06T10:00:00Z');
  const shown = [];
  for (const q of [
    { status: 'open', page: 1 },
    { status: 'open', page: 20 },
    { status: 'pending', page: 3 },
    { team: 'billing', sort: 'queue', page: 1 },
  ] as const)
    shown.push((await listTickets(queued, { ...q, pageSize: 50, now })).tickets.map((t) => [t.id, t.slaStatus]));
  process.stdout.write(
    `  listed SLA digest ${createHash('sha256').update(JSON.stringify(shown)).digest('hex').slice(0, 16)}\n`,
  );
}

const bot = { stateTtlDays: 30 };
const tickets = synthTickets();
const tmp = mkdtempSync(path.join(os.tmpdir(), 'deflect-bench-queue-'));
try {
  const dir = path.join(tmp, 'embedded');
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'tickets.json'), JSON.stringify({ seq: N, tickets }));
  if (STORES.includes('embedded')) {
    const embedded = await openStores({ dataDir: dir, bot });
    await run('embedded', embedded);
    await embedded.close();
  }

  if (STORES.includes('postgres'))
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
          `INSERT INTO tickets (id, seq, status, channel, lang, tags, created_at, updated_at, doc, team, priority)
         SELECT id, seq, status, channel, lang, '{}'::text[], created_at, updated_at, doc, team, priority
         FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::timestamptz[], $8::jsonb[], $9::text[], $10::text[])
           AS u(id, seq, status, channel, lang, created_at, updated_at, doc, team, priority)`,
          [
            batch.map((t) => t.id),
            batch.map((t) => Number(t.id.slice(2))),
            batch.map((t) => t.status),
            batch.map((t) => t.channel),
            batch.map((t) => t.lang),
            batch.map((t) => t.createdAt),
            batch.map((t) => t.updatedAt),
            batch.map((t) => JSON.stringify(t)),
            batch.map((t) => t.team ?? null),
            batch.map((t) => t.priority ?? null),
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
