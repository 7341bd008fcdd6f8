/**
 * Benchmark: the webhook delivery queue.
 *
 *   npx tsx bench/deliveries.ts [--deliveries 2000] [--fail 200]
 *
 * Enqueues N ticket.created deliveries (as many tickets created at once,
 * 20 at a time) and times until a receiver on loopback has taken every one,
 * the receiver refusing the first `--fail` requests with 503 (so retries are
 * part of the figure). Runs the embedded queue (one worker), then PostgreSQL
 * (DATABASE_URL, or a fresh database on 127.0.0.1) with one and with two
 * workers on their own pools. Prints enqueue and delivery rates, requests
 * made, and deliveries taken more than once (should be 0).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { withScratchDatabase } from './scratchDatabase.ts';
import { openStores } from '../core/storage/openStores.ts';
import type { Stores } from '../core/storage/ports.ts';
import { DeliveryWorker } from '../core/tickets/deliveryWorker.ts';

const { values } = parseArgs({
  options: { deliveries: { type: 'string', default: '2000' }, fail: { type: 'string', default: '200' } },
});
const N = Number(values.deliveries);
const FAIL = Number(values.fail);

/** A receiver that refuses the first `fail` requests and counts what it took per delivery id. */
async function receiver(fail: number) {
  const taken = new Map<string, number>();
  let requests = 0;
  let done: () => void = () => undefined;
  const all = new Promise<void>((resolve) => (done = resolve));
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      requests++;
      if (requests <= fail) return res.writeHead(503).end();
      const id = String(req.headers['x-deflect-delivery']);
      taken.set(id, (taken.get(id) ?? 0) + 1);
      if (taken.size === N) done();
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    all,
    stats: () => ({ requests, twice: [...taken.values()].filter((n) => n > 1).length }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function run(name: string, instances: Stores[], workers: number): Promise<void> {
  const r = await receiver(FAIL);
  const webhook = { url: r.url, secret: 'bench-secret-0123456789', maxAttempts: 10, backoffMs: 50, timeoutMs: 5000 };
  const started = instances.slice(0, workers).map((s) => new DeliveryWorker(s.deliveries, webhook).start());
  const t0 = performance.now();
  for (let n = 0; n < N; n += 20) {
    await Promise.all(
      Array.from({ length: Math.min(20, N - n) }, (_, i) =>
        instances[i % instances.length]!.deliveries.enqueue({
          event: 'ticket.created',
          payload: { ticket: { id: `T-${n + i}`, email: `user${n + i}@example.com`, subject: 'Bench' } },
        }),
      ),
    );
  }
  const enqueued = performance.now() - t0;
  await r.all;
  const total = performance.now() - t0;
  // Stopping a worker between the receiver's 200 and its record would leave that delivery due again (sent twice
  // under one id, as after a crash): let the last records land first, so the next run starts from an empty queue.
  while ((await instances[0]!.deliveries.all()).length) await new Promise((resolve) => setTimeout(resolve, 20));
  await Promise.all(started.map((w) => w.close()));
  await r.close();
  const { requests, twice } = r.stats();
  process.stdout.write(
    `${name}: ${N} enqueued in ${(enqueued / 1000).toFixed(2)} s (${Math.round(N / (enqueued / 1000))}/s); ` +
      `all taken after ${(total / 1000).toFixed(2)} s (${Math.round(N / (total / 1000))}/s); ` +
      `${requests} requests, ${twice} taken more than once\n`,
  );
}

const bot = { stateTtlDays: 30 };
const tmp = mkdtempSync(path.join(os.tmpdir(), 'deflect-bench-deliveries-'));
try {
  const embedded = await openStores({ dataDir: path.join(tmp, 'embedded'), bot });
  await run('embedded, 1 worker', [embedded], 1);
  await embedded.close();

  await withScratchDatabase(async (url) => {
    const open = (dir: string) =>
      openStores({ dataDir: path.join(tmp, dir), bot, storage: { databaseUrl: url, redisKeyPrefix: 'b:' } });
    const a = await open('a');
    const b = await open('b');
    await run('postgres, 1 worker', [a, b], 1);
    await run('postgres, 2 workers (two pools)', [a, b], 2);
    await Promise.all([a.close(), b.close()]);
  });
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
