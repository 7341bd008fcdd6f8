import { readdirSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import pg from 'pg';
import { createClient } from 'redis';
import { startServerProcess, type ServerProcess } from '../helpers/child.ts';
import { eventually } from '../helpers/eventually.ts';
import { getJson, postJson } from '../helpers/server.ts';
import {
  freshDatabase,
  freshRedisPrefix,
  postgresUnavailable,
  redisUnavailable,
  skipWhen,
} from '../helpers/services.ts';
import { tempDir } from '../helpers/tempDir.ts';

/** The channels an instance LISTENs on with no webhook or WhatsApp configured: snapshots and the customer's e-mails. */
const CHANNELS = ['deflect_deliveries_mail', 'deflect_snapshots'];

/**
 * What PostgreSQL does to its clients in a restart, a failover or an
 * administrator's pg_terminate_backend: every session of the database ends,
 * idle or busy. A real server process (its own event loop, so an unheard
 * 'error' event kills it, as it would in production) must live through it,
 * answer what was in flight as unavailable (503, worth a retry), listen
 * again on every channel, and serve as before. Redis, which holds the shared
 * rate limits, likewise when its connections are killed.
 */
describe('a server whose PostgreSQL sessions and Redis connections are terminated', function () {
  this.timeout(180_000);
  let server: ServerProcess | undefined;
  let admin: pg.Client | undefined;
  let db: Awaited<ReturnType<typeof freshDatabase>> | undefined;
  const redis = freshRedisPrefix();
  const dataDir = tempDir();

  before(async function () {
    const reason = (await postgresUnavailable()) ?? (await redisUnavailable());
    skipWhen(reason, this);
    db = await freshDatabase();
    server = await startServerProcess(
      { DATABASE_URL: db.url, REDIS_URL: redis.url, REDIS_KEY_PREFIX: redis.prefix, DATA_DIR: dataDir.dir },
      120_000,
    );
    // On the scratch database itself: its session is the one pg_terminate_backend spares, and it can hold locks there.
    admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
  });

  after(async () => {
    if (server && server.child.exitCode === null) {
      server.child.kill('SIGTERM');
      await server.exited;
    }
    await admin?.end();
    await db?.drop();
    await redis.drop();
    dataDir.cleanup();
  });

  /** Wait for `probe`, but fail at once, with the server's output, if the server dies meanwhile. */
  const whileAlive = <T>(probe: () => T | Promise<T>, what: string) =>
    Promise.race([
      eventually(probe, { timeoutMs: 30_000, what }),
      server!.exited.then((code) => {
        throw new Error(`the server exited with ${code} while waiting for ${what}:\n${server!.output().slice(-3000)}`);
      }),
    ]);

  /** The server's LISTENing sessions, channel → backend pid (the last statement of such a session is its LISTEN). */
  const listeners = async (): Promise<Map<string, number>> => {
    const { rows } = await admin!.query<{ pid: number; query: string }>(
      `SELECT pid, query FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid() AND query ILIKE 'LISTEN %'`,
    );
    return new Map(rows.map((r) => [r.query.slice('LISTEN '.length).trim(), r.pid]));
  };
  const listeningOnEvery = async (but: Map<string, number> = new Map()) => {
    const now = await listeners();
    return CHANNELS.every((c) => now.has(c) && now.get(c) !== but.get(c)) && now;
  };

  /** pg_terminate_backend on every session of the database but the admin's; resolves with how many ended. */
  const terminateAll = async (): Promise<number> => {
    const { rows } = await admin!.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid()) t`,
    );
    return rows[0]!.n;
  };

  const ask = (question: string) => postJson(`${server!.url}/api/ask`, { question });
  const openTicket = (description: string) =>
    postJson(`${server!.url}/api/tickets`, { email: 'ana@example.com', description });
  const mailsOf = (ticketId: string) => {
    const outbox = path.join(dataDir.dir, 'outbox');
    try {
      return readdirSync(outbox).filter((f) => f.includes(`-${ticketId}-`));
    } catch {
      return [];
    }
  };

  const databaseAnswers = () =>
    whileAlive(async () => {
      const r = await getJson(`${server!.url}/healthz`);
      return r.body?.storage?.database === 'reachable' && r.body;
    }, '/healthz to see the database');

  it('idle: lives on, listens again on every channel, and answers, files tickets and mails as before', async () => {
    const before = await whileAlive(() => listeningOnEvery(), 'the server to listen on every channel');
    expect(await terminateAll()).to.be.at.least(CHANNELS.length);

    await whileAlive(() => listeningOnEvery(before), 'the server to listen again on every channel, on new sessions');
    expect((await databaseAnswers()).status).to.equal('ok');

    const answered = await ask('How do I reset my password?');
    expect(answered.status).to.equal(200);
    expect(answered.body.action).to.be.oneOf(['answer', 'clarify', 'ticket']);
    const ticket = await openTicket('My card never arrived');
    expect(ticket.status).to.equal(201);
    // The customer's e-mail goes through the delivery queue whose notifications were just cut off.
    await whileAlive(() => mailsOf(ticket.body.id).length, 'the ticket mail in the outbox');
    expect(server!.child.exitCode).to.equal(null);
  });

  /**
   * Send one request while the admin's open transaction holds the tables it
   * writes, wait until its statement waits on that lock (in flight), end
   * every session, and resolve with its answer. One request at a time: with
   * two, whether both are waiting in the database when the sessions end is
   * left to chance (seen: only one of two waiting there, the other held back in the server).
   */
  const cutOff = async (send: () => ReturnType<typeof ask>) => {
    let pending: ReturnType<typeof ask> | undefined;
    await admin!.query('BEGIN');
    try {
      await admin!.query('LOCK TABLE tickets, events IN ACCESS EXCLUSIVE MODE');
      pending = send();
      let early: unknown;
      void pending.then((r) => (early = r.body));
      await whileAlive(async () => {
        const { rows } = await admin!.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'`,
        );
        return early !== undefined || rows[0]!.n > 0;
      }, 'the request to wait on the lock');
      expect(early, 'answered before waiting on the lock').to.equal(undefined);
      await terminateAll();
    } finally {
      // Released before the answer is awaited: whatever the server tries next must not wait on this spec.
      await admin!.query('ROLLBACK');
    }
    return pending;
  };

  it('busy: a question and a ticket in flight answer 503 unavailable, and the next ones are served', async () => {
    await databaseAnswers();
    const asked = await cutOff(() => ask('How do I reset my password?'));
    expect([asked.status, asked.body.error?.code], 'the question in flight').to.deep.equal([503, 'unavailable']);
    await databaseAnswers();
    const filed = await cutOff(() => openTicket('My laptop does not start'));
    expect([filed.status, filed.body.error?.code], 'the ticket in flight').to.deep.equal([503, 'unavailable']);

    await whileAlive(() => listeningOnEvery(), 'the server to listen again on every channel');
    expect((await ask('How do I reset my password?')).status).to.equal(200);
    const ticket = await openTicket('My laptop does not start');
    expect(ticket.status).to.equal(201);
    await whileAlive(() => mailsOf(ticket.body.id).length, 'the ticket mail in the outbox');
    expect(server!.child.exitCode).to.equal(null);
  });

  it('Redis: lives on when its connections are killed, and counts rate limits in Redis again', async () => {
    const r = createClient({ url: redis.url });
    r.on('error', () => undefined);
    await r.connect();
    try {
      // The server names its connection after its process (CLIENT SETNAME), so only this server's are killed.
      const own = async () =>
        String(await r.sendCommand(['CLIENT', 'LIST']))
          .split('\n')
          .filter((line) => line.includes(` name=deflect-`) && line.includes(`-${server!.child.pid} `))
          .map((line) => /\bid=(\d+)/.exec(line)![1]!);
      const ids = await whileAlive(async () => (await own()).length && own(), "the server's Redis connection");
      const counters = async () => (await r.sendCommand(['KEYS', `${redis.prefix}*`])) as string[];
      for (const key of await counters()) await r.del(key);
      for (const id of ids) await r.sendCommand(['CLIENT', 'KILL', 'ID', id]);

      const asked = await whileAlive(async () => {
        const a = await ask('How do I reset my password?');
        return a.status === 200 && a;
      }, 'a question to be answered again');
      expect(asked.body.action).to.be.oneOf(['answer', 'clarify', 'ticket']);
      // The rate limit's counter went to Redis, on a new connection.
      expect(await counters()).to.not.be.empty;
      expect(await own()).to.not.deep.equal(ids);
      const health = await getJson(`${server!.url}/healthz`);
      expect(health.body.storage).to.include({ database: 'reachable', redis: 'reachable' });
      expect(server!.child.exitCode).to.equal(null);
    } finally {
      await r.close();
    }
  });
});
