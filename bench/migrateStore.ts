import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { migrateStore, type MigrationReport } from '../core/commands/migrateStore.ts';
import { EventLog } from '../core/events/eventLog.ts';
import type { DeflectEvent } from '../core/events/types.ts';
import { KeyValueStore } from '../core/storage/keyValueStore.ts';
import { openStoreMigration } from '../core/storage/openStoreMigration.ts';
import type { Ticket } from '../core/tickets/types.ts';
import { freshDatabase, postgresUnavailable } from '../test/helpers/services.ts';
import { tempDir } from '../test/helpers/tempDir.ts';
import { machineLine, writeSection } from './resultsSection.ts';

/**
 * `npm run bench:migrate-store`: how long `migrate-store --to postgres`
 * takes on a data directory of a given size (synthetic tickets, events over
 * many days, bot state), the first time and again (nothing to move). Writes
 * its table under "## Moving a data directory into PostgreSQL" in bench/RESULTS.md.
 */
const { values } = parseArgs({
  options: {
    days: { type: 'string', default: '120' },
    'events-per-day': { type: 'string', default: '800' },
    tickets: { type: 'string', default: '2000' },
  },
});
const DAYS = Number(values.days);
const PER_DAY = Number(values['events-per-day']);
const TICKETS = Number(values.tickets);
const bot = { stateTtlDays: 30 };

async function writeDataDir(dir: string): Promise<void> {
  const log = new EventLog(path.join(dir, 'events'));
  await log.init();
  const first = Date.now() - DAYS * 86_400_000;
  for (let d = 0; d < DAYS; d++) {
    const events: DeflectEvent[] = [];
    for (let i = 0; i < PER_DAY; i++) {
      const at = new Date(first + d * 86_400_000 + i * 60_000).toISOString();
      const conversationId = `c-${d}-${Math.floor(i / 2)}`;
      const base = { id: randomUUID(), at, conversationId, channel: 'widget' as const, lang: 'en' as const };
      events.push(
        i % 2 === 0
          ? {
              ...base,
              type: 'question',
              question: `question ${i} of day ${d}`,
              action: 'answer',
              articleId: 'reset-password-en',
              shown: [{ articleId: 'reset-password-en', confidence: 0.9 }],
              ranked: [{ articleId: 'reset-password-en', confidence: 0.9 }],
              reply: 'a reply',
            }
          : {
              ...base,
              type: 'feedback',
              articleId: 'reset-password-en',
              helpful: true,
              next: 'resolved',
              shown: [],
              reply: 'r',
            },
      );
    }
    await log.rewriteDay(new Date(first + d * 86_400_000).toISOString().slice(0, 10), events);
  }
  const now = new Date().toISOString();
  const tickets: Ticket[] = Array.from({ length: TICKETS }, (_, i) => ({
    id: `T-${String(i + 1).padStart(6, '0')}`,
    status: 'open',
    createdAt: now,
    updatedAt: now,
    channel: 'widget',
    lang: 'en',
    email: `user${i}@example.com`,
    subject: `Ticket ${i}`,
    reason: 'user',
    transcript: [{ role: 'user', text: 'help', at: now }],
    shown: [],
    tags: [],
    notes: [],
  }));
  writeFileSync(path.join(dir, 'tickets.json'), JSON.stringify({ seq: TICKETS, tickets }));
  const state = await KeyValueStore.openChannelState(dir, bot.stateTtlDays);
  await state.put(Array.from({ length: 20 }, (_, i) => ({ key: `webchat/conversations/c${i}/`, value: { step: i } })));
}

async function timedMove(dataDir: string, url: string): Promise<{ seconds: number; report: MigrationReport }> {
  const t = performance.now();
  const migration = await openStoreMigration({ dataDir, bot, storage: { databaseUrl: url, redisKeyPrefix: 'x:' } });
  try {
    const report = await migrateStore(migration, { to: 'postgres' });
    return { seconds: (performance.now() - t) / 1000, report };
  } finally {
    await migration.close();
  }
}

const reason = await postgresUnavailable();
if (reason) {
  process.stderr.write(`bench:migrate-store needs PostgreSQL: ${reason}\n`);
  process.exit(1);
}
const data = tempDir('deflect-migrate-');
const db = await freshDatabase();
try {
  await writeDataDir(data.dir);
  const first = await timedMove(data.dir, db.url);
  const again = await timedMove(data.dir, db.url);
  const events = DAYS * PER_DAY;
  const r = first.report;
  const rows = [
    `| first run | ${first.seconds.toFixed(1)} s (${Math.round(events / first.seconds)} events/s): ${r.tickets.moved} tickets, ${r.events.moved} events from ${r.events.days} day files, ${r.channelState.moved} bot states moved |`,
    `| second run | ${again.seconds.toFixed(1)} s: ${again.report.tickets.moved + again.report.events.moved + again.report.channelState.moved} moved, ${again.report.events.alreadyThere} events and ${again.report.tickets.alreadyThere} tickets already there |`,
  ];
  const table = [
    `Produced by \`npm run bench:migrate-store\` (${TICKETS} tickets, ${DAYS} days × ${PER_DAY} events; PostgreSQL on the same machine: ${machineLine()}).`,
    '',
    '| Run | Figure |',
    '|---|---|',
    ...rows,
    '',
  ].join('\n');
  process.stdout.write(`\n${table}`);
  writeSection('bench/RESULTS.md', '## Moving a data directory into PostgreSQL', table);
} finally {
  await db.drop();
  data.cleanup();
}
