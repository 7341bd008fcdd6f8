import { expect } from 'chai';
import { cpSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { migrateStore, type MigrationReport } from '../../core/commands/migrateStore.ts';
import { EventLog } from '../../core/events/eventLog.ts';
import { FileDeliveryQueue } from '../../core/storage/fileDeliveryQueue.ts';
import { DataDirLockedError, lockDataDir } from '../../core/storage/dataDirLock.ts';
import { openStoreMigration } from '../../core/storage/openStoreMigration.ts';
import { openStores } from '../../core/storage/openStores.ts';
import { TicketStore } from '../../core/tickets/ticketStore.ts';
import { owedDelivery } from '../../core/tickets/outbox.ts';
import { asked, judged, plus, ticketed } from '../reports/builders.ts';
import { runProcess } from '../helpers/child.ts';
import { freshDatabase, postgresUnavailable, skipWhen } from '../helpers/services.ts';
import { getJson, postJson, startTestServer } from '../helpers/server.ts';
import { tempDir } from '../helpers/tempDir.ts';

const bot = { stateTtlDays: 30 };
const STATE_KEY = 'webchat/conversations/c-bot/';
const STATE = { ticketFlow: { step: 'email', subject: 'Printer jam' } };

/** What a server shows of its data: every ticket in full, and the deflection report by day over the whole period. */
async function snapshotOf(url: string, days: { from: string; to: string }) {
  const list = await getJson(`${url}/api/tickets?pageSize=100`);
  const tickets = [];
  for (const t of list.body.tickets as { id: string }[])
    tickets.push((await getJson(`${url}/api/tickets/${t.id}`)).body);
  const report = await getJson(`${url}/api/reports/deflection?from=${days.from}&to=${days.to}&groupBy=day`);
  const articles = await getJson(`${url}/api/reports/articles?from=${days.from}&to=${days.to}`);
  return { list: list.body, tickets, report: report.body, articles: articles.body };
}

/** Move `dataDir` into the database at `url`, as the CLI does. */
async function migrate(dataDir: string, url: string, onProgress?: (step: string) => void): Promise<MigrationReport> {
  const migration = await openStoreMigration({ dataDir, bot, storage: { databaseUrl: url, redisKeyPrefix: 'x:' } });
  try {
    return await migrateStore(migration, { to: 'postgres', ...(onProgress ? { onProgress } : {}) });
  } finally {
    await migration.close();
  }
}

async function countRows(
  url: string,
): Promise<{ tickets: number; events: number; state: number; distinctEvents: number; deliveries: number }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const n = async (sql: string) => Number((await client.query<{ n: string }>(sql)).rows[0]!.n);
    return {
      tickets: await n('SELECT count(*) AS n FROM tickets'),
      events: await n('SELECT count(*) AS n FROM events'),
      distinctEvents: await n('SELECT count(DISTINCT id) AS n FROM events'),
      state: await n('SELECT count(*) AS n FROM channel_state'),
      deliveries: await n('SELECT count(*) AS n FROM deliveries'),
    };
  } finally {
    await client.end();
  }
}

/**
 * `npm run kb -- migrate-store --to postgres`: an embedded data directory
 * (tickets, events over several days, the bot's state) moved into
 * PostgreSQL serves the same tickets and the same reports, and the move can
 * be run again or finished after an interruption without doubling anything.
 */
describe('migrate-store: an embedded data directory into PostgreSQL', function () {
  this.timeout(300_000);
  const data = tempDir();
  const today = new Date().toISOString();
  const period = { from: plus(today, -4).slice(0, 10), to: plus(today, 1).slice(0, 10) };
  let reference: Awaited<ReturnType<typeof snapshotOf>>;
  let eventCount = 0;
  let conversationId = '';
  let owed = '';
  const drops: (() => Promise<void>)[] = [];
  const database = async () => {
    const db = await freshDatabase();
    drops.push(db.drop);
    return db.url;
  };

  before(async function () {
    const reason = await postgresUnavailable();
    skipWhen(reason, this);
    // Three earlier days of events, written as the embedded event log writes them.
    const log = new EventLog(path.join(data.dir, 'events'));
    await log.init();
    for (const [d, cid] of [
      [-3, 'old-1'],
      [-2, 'old-2'],
      [-1, 'old-3'],
    ] as const) {
      const at = plus(today, d);
      await log.append(asked(at, { conversationId: cid }));
      await log.append(judged(plus(at, 0, 1000), d !== -2, { conversationId: cid }));
      await log.append(
        asked(plus(at, 0, 2000), { conversationId: `${cid}-b`, action: 'ticket', articleId: undefined }),
      );
      await log.append(ticketed(plus(at, 0, 3000), 'no_answer', { conversationId: `${cid}-b` }));
    }
    await log.close();
    // Today: a real embedded server answers, opens tickets (one from a conversation) and keeps bot state.
    const server = await startTestServer({ env: { DATA_DIR: data.dir } });
    try {
      const first = await postJson(`${server.url}/api/ask`, { question: 'How do I reset my password?' });
      conversationId = first.body.conversationId;
      await postJson(`${server.url}/api/ask`, { question: 'the VPN does not connect', conversationId });
      const t1 = await postJson(`${server.url}/api/tickets`, { conversationId, email: 'ana@example.com' });
      const t2 = await postJson(`${server.url}/api/tickets`, { email: 'luis@example.com', description: 'Factura' });
      expect([t1.status, t2.status]).to.deep.equal([201, 201]);
      await fetch(`${server.url}/api/tickets/${t1.body.id}`, {
        method: 'PATCH',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ status: 'pending', note: 'asked for the model' }),
      });
      await (await server.core.channelState()).put([{ key: STATE_KEY, value: STATE }]);
      reference = await snapshotOf(server.url, period);
    } finally {
      await server.close();
    }
    // A webhook delivery still owed (its receiver was down): it must reach the shared queue with its id.
    owed = (await (await FileDeliveryQueue.open(data.dir)).enqueue({ event: 'ticket.created', payload: { n: 1 } })).id;
    const events = new EventLog(path.join(data.dir, 'events'));
    for (const day of await events.days()) eventCount += (await events.readDay(day)).length;
  });

  after(async () => {
    for (const drop of drops) await drop();
    data.cleanup();
  });

  it('moves every ticket, event and bot state, and a server on PostgreSQL shows the same tickets and reports', async () => {
    const url = await database();
    const report = await migrate(data.dir, url);
    expect(report.tickets).to.include({ moved: 2, alreadyThere: 0, nextNumberAfter: 2 });
    expect(report.events).to.include({ moved: eventCount, alreadyThere: 0, days: 4 });
    expect(report.channelState).to.include({ moved: 1, alreadyThere: 0 });
    expect(report.deliveries).to.include({ moved: 1, alreadyThere: 0 });

    const server = await startTestServer({ env: { DATABASE_URL: url } });
    try {
      expect(server.core.tickets.constructor.name).to.equal('PgTicketStore');
      const moved = await snapshotOf(server.url, period);
      expect(reference.list.total).to.equal(2);
      expect(moved.tickets).to.deep.equal(reference.tickets);
      expect(moved.list).to.deep.equal(reference.list);
      expect(moved.report).to.deep.equal(reference.report);
      expect(moved.articles).to.deep.equal(reference.articles);
      expect((await (await server.core.channelState()).get(STATE_KEY))?.value).to.deep.equal(STATE);
      expect((await server.core.deliveries.all()).map((d) => d.id)).to.include(owed);

      // A new ticket gets the next id, and a moved conversation goes on with its earlier turns.
      await postJson(`${server.url}/api/ask`, { question: 'and the printer?', conversationId });
      const next = await postJson(`${server.url}/api/tickets`, { conversationId, email: 'ana@example.com' });
      expect(next.body.id).to.equal('T-000003');
      const detail = await getJson(`${server.url}/api/tickets/T-000003`);
      expect(
        (detail.body.transcript as { role: string; text: string }[])
          .filter((t) => t.role === 'user')
          .map((t) => t.text),
      ).to.deep.equal(['How do I reset my password?', 'the VPN does not connect', 'and the printer?']);
    } finally {
      await server.close();
    }
  });

  it('run twice, moves nothing the second time and the database holds the same rows', async () => {
    const url = await database();
    await migrate(data.dir, url);
    const before = await countRows(url);
    const again = await migrate(data.dir, url);
    expect(again.tickets).to.include({ moved: 0, alreadyThere: 2, refreshed: 0 });
    expect(again.events).to.include({ moved: 0, alreadyThere: eventCount });
    expect(again.channelState).to.include({ moved: 0, alreadyThere: 1 });
    expect(again.deliveries).to.include({ moved: 0, alreadyThere: 1 });
    expect(await countRows(url)).to.deep.equal(before);
    expect(before).to.deep.equal({
      tickets: 2,
      events: eventCount,
      distinctEvents: eventCount,
      state: 1,
      deliveries: 1,
    });
  });

  it('an interrupted move finishes on the next run, each event once', async () => {
    const url = await database();
    let days = 0;
    const interrupted = await migrate(data.dir, url, (step) => {
      if (step.startsWith('events') && ++days === 2) throw new Error('interrupted');
    }).catch((e: Error) => e);
    expect(interrupted).to.be.instanceOf(Error).with.property('message', 'interrupted');
    const partial = await countRows(url);
    expect(partial.events).to.be.above(0).and.below(eventCount);

    const finished = await migrate(data.dir, url);
    expect(finished.events.moved).to.equal(eventCount - partial.events);
    expect(await countRows(url)).to.deep.equal({
      tickets: 2,
      events: eventCount,
      distinctEvents: eventCount,
      state: 1,
      deliveries: 1,
    });
  });

  it('refuses, moving nothing, when the database gives one of the ticket ids to another ticket', async () => {
    const url = await database();
    const otherDir = tempDir();
    const other = await openStores({
      dataDir: otherDir.dir,
      bot,
      storage: { databaseUrl: url, redisKeyPrefix: 'x:' },
    });
    try {
      await other.tickets.create({
        channel: 'api',
        lang: 'en',
        email: 'someone@example.com',
        subject: 'Created on PostgreSQL first',
        reason: 'user',
        transcript: [],
        shown: [],
      });
    } finally {
      await other.close();
      otherDir.cleanup();
    }
    const refused = (await migrate(data.dir, url).catch((e: Error) => e)) as Error;
    expect(refused).to.have.property('code', 'conflict');
    expect(refused.message).to.include('T-000001');
    expect(await countRows(url)).to.include({ tickets: 1, events: 0, state: 0 });
  });

  it('a ticket changed in the data directory after a move replaces its older copy on the next run', async () => {
    const url = await database();
    const copy = tempDir();
    try {
      cpSync(data.dir, copy.dir, { recursive: true });
      await migrate(copy.dir, url);
      const tickets = await TicketStore.open(copy.dir);
      await tickets.update('T-000002', (t) => void (t.status = 'solved'));
      const again = await migrate(copy.dir, url);
      expect(again.tickets).to.include({ moved: 0, alreadyThere: 1, refreshed: 1 });
      const stores = await openStores({ dataDir: copy.dir, bot, storage: { databaseUrl: url, redisKeyPrefix: 'x:' } });
      try {
        expect((await stores.tickets.get('T-000002')).status).to.equal('solved');
        expect((await stores.tickets.list({ status: 'solved' })).total, 'the status column too').to.equal(1);
      } finally {
        await stores.close();
      }
    } finally {
      copy.cleanup();
    }
  });

  it('moves the deliveries a crash left owed in tickets.json, with their ids, once', async () => {
    const dir = tempDir();
    const db = await freshDatabase();
    try {
      // A store without its queues keeps what a change owes in the file, as a kill before the hand-over does.
      const alone = await TicketStore.open(dir.dir);
      const t = await alone.create(
        {
          channel: 'api',
          lang: 'es',
          email: 'eva@example.com',
          subject: 'Owed',
          reason: 'user',
          transcript: [],
          shown: [],
        },
        (t) => [
          owedDelivery('webhook', t, 'ticket.created', { ticket: { id: t.id } }),
          owedDelivery('mail', t, 'mail.created', { ticketId: t.id }),
          owedDelivery('whatsapp', t, 'whatsapp.reply', { ticketId: t.id }),
        ],
      );
      const first = await migrate(dir.dir, db.url);
      expect(first.deliveries).to.deep.include({ moved: 1 });
      expect(first.mail).to.deep.include({ moved: 1 });
      expect(first.whatsapp).to.deep.equal({ moved: 1, alreadyThere: 0 });
      expect((await migrate(dir.dir, db.url)).deliveries).to.deep.include({ moved: 0, alreadyThere: 1 });
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      try {
        const { rows } = await client.query<{ id: string; queue: string }>(
          'SELECT id, queue FROM deliveries ORDER BY queue',
        );
        expect(rows).to.deep.equal([
          { id: owedDelivery('mail', t, 'mail.created', {}).id, queue: 'mail' },
          { id: owedDelivery('webhook', t, 'ticket.created', {}).id, queue: 'webhook' },
          { id: owedDelivery('whatsapp', t, 'whatsapp.reply', {}).id, queue: 'whatsapp' },
        ]);
      } finally {
        await client.end();
      }
    } finally {
      await db.drop();
      dir.cleanup();
    }
  });

  it('refuses while a server holds the data-directory lock', async () => {
    const unlock = await lockDataDir(data.dir);
    try {
      const refused = await migrate(data.dir, await database()).catch((e: Error) => e);
      expect(refused).to.be.instanceOf(DataDirLockedError);
    } finally {
      await unlock();
    }
  });

  it('the CLI prints what it moved and what it left, and never the password in the URL', async () => {
    const url = new URL(await database());
    url.password = 'not-a-real-secret';
    const { done } = runProcess(['indexer/cli.ts', 'migrate-store', '--to', 'postgres'], {
      DATA_DIR: data.dir,
      DATABASE_URL: url.toString(),
      LOG_LEVEL: 'warn',
    });
    const { code, output } = await done;
    expect(code, output).to.equal(0);
    expect(output).to.include(`Tickets: 2 moved, 0 already there`);
    expect(output).to.include(`Events: ${eventCount} moved, 0 already there, from 4 day files`);
    expect(output).to.include('Bot state: 1 conversations moved');
    expect(output).to.include('Webhook deliveries still owed: 1 moved, 0 already there');
    expect(output).to.not.include('not-a-real-secret');
  });
});
