import { expect } from 'chai';
import pg from 'pg';
import {
  freshDatabase,
  freshRedisPrefix,
  postgresUnavailable,
  redisUnavailable,
  skipWhen,
} from '../helpers/services.ts';
import { getJson, startTestServer, type TestServer } from '../helpers/server.ts';

/**
 * /healthz says where this instance keeps its data and whether the shared
 * servers answer, truthfully and without naming them: the route is public,
 * so no URL, host, database name or password appears in it.
 */
describe('GET /healthz: storage', function () {
  this.timeout(120_000);

  it('embedded: the data directory, conversations in memory', async () => {
    const server = await startTestServer();
    try {
      const r = await getJson(`${server.url}/healthz`);
      expect(r.body.status).to.equal('ok');
      expect(r.body.storage).to.deep.equal({ kind: 'embedded', conversations: 'memory' });
      expect(r.body.conversations).to.be.a('number');
    } finally {
      await server.close();
    }
  });

  describe('on PostgreSQL and Redis', () => {
    let server: TestServer | undefined;
    let db: Awaited<ReturnType<typeof freshDatabase>> | undefined;
    const redis = freshRedisPrefix();
    let databaseUrl = '';

    before(async function () {
      const reason = (await postgresUnavailable()) ?? (await redisUnavailable());
      skipWhen(reason, this);
      db = await freshDatabase();
      // A password the server (trust authentication) ignores: it must still never be shown.
      const url = new URL(db.url);
      url.username = 'postgres';
      url.password = 'health-secret-pw';
      databaseUrl = url.toString();
      server = await startTestServer({
        env: { DATABASE_URL: databaseUrl, REDIS_URL: redis.url, REDIS_KEY_PREFIX: redis.prefix },
      });
    });

    after(async () => {
      await server?.close();
      await db?.drop();
      await redis.drop();
    });

    it('names the kind of store and that both servers answer, and nothing of their addresses', async () => {
      const r = await getJson(`${server!.url}/healthz`);
      expect(r.body.status).to.equal('ok');
      expect(r.body.storage).to.deep.equal({
        kind: 'postgres',
        conversations: 'database',
        database: 'reachable',
        redis: 'reachable',
      });
      expect(r.body.conversations, 'not counted in memory: read from the event log').to.equal(null);
      const text = JSON.stringify(r.body);
      const url = new URL(databaseUrl);
      for (const secret of ['health-secret-pw', url.host, url.pathname.slice(1), redis.prefix, new URL(redis.url).host])
        expect(text).to.not.include(secret);
    });

    it('says the database is unreachable, and degraded, once it is gone', async () => {
      // Dropping the database ends its connections and refuses new ones: what an outage looks like to the pool.
      const admin = new pg.Client({
        connectionString: process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1/postgres',
      });
      await admin.connect();
      try {
        await admin.query(`DROP DATABASE ${new URL(databaseUrl).pathname.slice(1)} WITH (FORCE)`);
      } finally {
        await admin.end();
      }
      const r = await getJson(`${server!.url}/healthz`);
      expect(r.status).to.equal(200);
      expect(r.body.status).to.equal('degraded');
      expect(r.body.storage).to.include({ kind: 'postgres', database: 'unreachable', redis: 'reachable' });
      expect(JSON.stringify(r.body)).to.not.include('health-secret-pw');
    });
  });
});
