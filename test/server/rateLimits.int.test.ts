import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import express from 'express';
import { createClient } from 'redis';
import { openRedis } from '../../core/storage/redis/openRedis.ts';
import { rateLimits } from '../../server/rateLimits.ts';
import { freshRedisPrefix, redisUnavailable, skipWhen } from '../helpers/services.ts';
import { postJson } from '../helpers/server.ts';

const LIMITS = { askPerMinute: 4, conversationPerMinute: 3, ticketsPerHour: 2 };

/** An app with only the public routes' limiters in front of a 200. */
async function limitedApp(
  redis?: Awaited<ReturnType<typeof openRedis>>,
): Promise<{ url: string; close(): Promise<void> }> {
  const app = express();
  app.set('trust proxy', 'loopback');
  app.use(express.json());
  const limits = rateLimits(LIMITS, redis);
  app.post('/api/ask', limits.ask, (_req: express.Request, res: express.Response) => void res.json({ ok: true }));
  app.post('/api/tickets', limits.tickets, (_req, res) => void res.status(201).json({ ok: true }));
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * The rate limits' contract, in memory (one process) and in Redis (two
 * instances counting together). Embedded, both "instances" are one app.
 */
for (const backend of ['memory', 'redis'] as const) {
  describe(`rate limits (${backend})`, function () {
    let apps: { url: string; close(): Promise<void> }[] = [];
    let cleanup: () => Promise<void> = async () => {};
    before(async function () {
      if (backend === 'memory') return;
      const reason = await redisUnavailable();
      skipWhen(reason, this);
    });
    beforeEach(async () => {
      if (backend === 'memory') {
        const app = await limitedApp();
        apps = [app, app];
        cleanup = () => app.close();
        return;
      }
      const fresh = freshRedisPrefix();
      const redis = [await openRedis(fresh.url, fresh.prefix), await openRedis(fresh.url, fresh.prefix)];
      apps = [await limitedApp(redis[0]), await limitedApp(redis[1])];
      cleanup = async () => {
        for (const a of apps) await a.close();
        for (const r of redis) await r.close();
        await fresh.drop();
      };
    });
    afterEach(() => cleanup());

    const ask = (i: number, address: string, body: object = { question: 'q' }) =>
      postJson(`${apps[i % 2]!.url}/api/ask`, body, { 'X-Forwarded-For': address });

    it('exactly the per-address limit passes, whichever instance is asked', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < LIMITS.askPerMinute + 2; i++) statuses.push((await ask(i, '203.0.113.1')).status);
      expect(statuses).to.deep.equal([200, 200, 200, 200, 429, 429]);
      expect((await ask(1, '203.0.113.2')).status, 'another address').to.equal(200);
    });

    it('a refused request says when to retry', async () => {
      for (let i = 0; i < LIMITS.askPerMinute; i++) await ask(i, '203.0.113.3');
      const refused = await ask(0, '203.0.113.3');
      expect(refused.status).to.equal(429);
      expect(refused.body.error.code).to.equal('rate_limited');
      expect(Number(refused.headers.get('retry-after'))).to.be.within(1, 60);
    });

    it('one conversation is limited across addresses and instances', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < LIMITS.conversationPerMinute + 1; i++)
        statuses.push((await ask(i, `203.0.113.${10 + i}`, { question: 'q', conversationId: 'c-1' })).status);
      expect(statuses).to.deep.equal([200, 200, 200, 429]);
    });

    it('tickets per address per hour', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < LIMITS.ticketsPerHour + 1; i++)
        statuses.push(
          (await postJson(`${apps[i % 2]!.url}/api/tickets`, {}, { 'X-Forwarded-For': '203.0.113.50' })).status,
        );
      expect(statuses).to.deep.equal([201, 201, 429]);
    });

    if (backend === 'redis') {
      it('writes its counters only under the key prefix', async () => {
        const fresh = freshRedisPrefix();
        const redis = await openRedis(fresh.url, fresh.prefix);
        const app = await limitedApp(redis);
        try {
          await postJson(`${app.url}/api/ask`, { question: 'q' }, { 'X-Forwarded-For': '203.0.113.60' });
          const client = createClient({ url: fresh.url });
          await client.connect();
          const keys = await client.keys(`${fresh.prefix}*`);
          await client.close();
          expect(keys.length).to.be.greaterThan(0);
          expect(keys.every((k) => k.startsWith(`${fresh.prefix}rl:`))).to.equal(true);
        } finally {
          await app.close();
          await redis.close();
          await fresh.drop();
        }
      });
    }
  });
}
