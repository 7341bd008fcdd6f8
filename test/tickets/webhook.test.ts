import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { expect } from 'chai';
import { eraseUser } from '../../core/commands/eraseUser.ts';
import { openStores } from '../../core/storage/openStores.ts';
import type { Delivery } from '../../core/storage/ports.ts';
import { DeliveryWorker } from '../../core/tickets/deliveryWorker.ts';
import { signWebhook, WebhookSink } from '../../core/tickets/webhookSink.ts';
import type { Ticket } from '../../core/tickets/types.ts';
import { postJson, startTestServer, type TestServer } from '../helpers/server.ts';
import { tempDir } from '../helpers/tempDir.ts';
import { runKb } from './cli.ts';
import { eventually } from '../helpers/eventually.ts';
import { startServerProcess } from '../helpers/child.ts';
import { startReceiver } from './receiver.ts';

const SECRET = 'webhook-secret-0123456789';
const ADMIN = 'admin-key-0123456789';

function webhookEnv(url: string, extra: Record<string, string> = {}) {
  return {
    WEBHOOK_URL: url,
    WEBHOOK_SECRET: SECRET,
    WEBHOOK_MAX_ATTEMPTS: '3',
    WEBHOOK_BACKOFF_MS: '20',
    DEFLECT_API_KEYS: `admin=${ADMIN}`,
    ...extra,
  };
}

/** The dead deliveries, replayed from the embedded queue's journal on disk. */
function deadLetters(dataDir: string): { ticketId: string; attempts: number; lastError?: string }[] {
  const file = path.join(dataDir, 'webhooks', 'deliveries.jsonl');
  const owed = new Map<string, Delivery>();
  for (const line of existsSync(file) ? readFileSync(file, 'utf8').split('\n') : []) {
    let entry: { put: Delivery } | { del: string };
    try {
      entry = JSON.parse(line);
    } catch {
      continue; // empty, or the last line while it is being written
    }
    if ('put' in entry) owed.set(entry.put.id, entry.put);
    else owed.delete(entry.del);
  }
  return [...owed.values()]
    .filter((d) => d.status === 'dead')
    .map((d) => ({ ticketId: (d.payload.ticket as Ticket).id, attempts: d.attempts, lastError: d.lastError }));
}

/** The check a receiver makes: recompute the HMAC over "<timestamp>.<body>". */
function verifies(r: { headers: Record<string, unknown>; body: string }): boolean {
  return r.headers['x-deflect-signature'] === signWebhook(SECRET, String(r.headers['x-deflect-timestamp']), r.body);
}

describe('webhook ticket sink against a real receiver on 127.0.0.1', function () {
  this.timeout(60_000);
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let s: TestServer | undefined;

  afterEach(async () => {
    await s?.close().catch(() => undefined);
    s = undefined;
    await receiver?.close();
  });

  it('retries with backoff after failures and delivers the ticket once, signed, with the same delivery id', async () => {
    receiver = await startReceiver({ failures: 2 });
    s = await startTestServer({ env: webhookEnv(receiver.url) });
    const created = await postJson(`${s.url}/api/tickets`, {
      email: 'ana@example.com',
      description: 'My badge does not open the door',
    });
    expect(created.status).to.equal(201);
    const [ok] = await receiver.delivered(1);
    expect(receiver.received.map((r) => r.status)).to.deep.equal([503, 503, 200]);
    expect(new Set(receiver.received.map((r) => r.headers['x-deflect-delivery'])).size).to.equal(1);
    expect(verifies(ok!)).to.equal(true);
    expect(ok!.headers['x-deflect-event']).to.equal('ticket.created');
    const body = JSON.parse(ok!.body);
    expect(body).to.include({ event: 'ticket.created' });
    expect(body.ticket).to.include({ id: created.body.id, email: 'ana@example.com', status: 'open' });
    expect(deadLetters(s.config.dataDir)).to.deep.equal([]);
  });

  it('a signature made with another secret, or over another body, does not verify', async () => {
    const ts = '1700000000';
    expect(signWebhook(SECRET, ts, '{"a":1}')).to.match(/^sha256=[0-9a-f]{64}$/);
    expect(signWebhook('another-secret-0123456', ts, '{"a":1}')).to.not.equal(signWebhook(SECRET, ts, '{"a":1}'));
    expect(signWebhook(SECRET, ts, '{"a":2}')).to.not.equal(signWebhook(SECRET, ts, '{"a":1}'));
  });

  it('keeps a ticket it could not deliver as a dead delivery, and the admin API resends it', async () => {
    receiver = await startReceiver({ failures: 1000 });
    s = await startTestServer({ env: webhookEnv(receiver.url) });
    const created = await postJson(`${s.url}/api/tickets`, { email: 'bob@example.com', description: 'VPN down' });
    const dataDir = s.config.dataDir;
    const [letter] = await eventually(() => deadLetters(dataDir).length === 1 && deadLetters(dataDir));
    expect(letter).to.include({ ticketId: created.body.id, attempts: 3, lastError: 'HTTP 503' });
    expect(receiver.received).to.have.length(3);
    // The ticket is safe in the built-in store whatever the webhook does.
    expect((await s.deps.tickets.get(created.body.id)).email).to.equal('bob@example.com');

    receiver.failNext(0);
    const retried = await postJson(`${s.url}/api/admin/webhooks/retry`, {}, { Authorization: `Bearer ${ADMIN}` });
    expect(retried.status).to.equal(200);
    expect(retried.body).to.include({ resent: 1, remaining: 0 });
    const [ok] = await receiver.delivered(1);
    expect(verifies(ok!)).to.equal(true);
    expect(JSON.parse(ok!.body).ticket.id).to.equal(created.body.id);
    expect(deadLetters(dataDir)).to.deep.equal([]);
  });

  it('an erasure reaches a delivery still owed: the resend carries no e-mail or name', async () => {
    receiver = await startReceiver({ failures: 1000, failStatus: 400 });
    s = await startTestServer({ env: webhookEnv(receiver.url) });
    await postJson(`${s.url}/api/tickets`, { email: 'fran@example.com', name: 'Fran', description: 'Mail is slow' });
    const dataDir = s.config.dataDir;
    await eventually(() => deadLetters(dataDir).length === 1);
    const erased = await eraseUser(s.core, { email: 'fran@example.com' });
    expect(erased.counts.deadLetters).to.equal(1);
    receiver.failNext(0);
    const retried = await postJson(`${s.url}/api/admin/webhooks/retry`, {}, { Authorization: `Bearer ${ADMIN}` });
    expect(retried.body).to.include({ resent: 1, remaining: 0 });
    const [ok] = await receiver.delivered(1);
    expect(ok!.body).to.not.include('fran@example.com');
    expect(JSON.parse(ok!.body).ticket).to.include({ email: '' }).and.not.have.property('name');
  });

  it('does not retry a request the receiver refuses (4xx other than 408/429)', async () => {
    receiver = await startReceiver({ failures: 1000, failStatus: 400 });
    s = await startTestServer({ env: webhookEnv(receiver.url) });
    await postJson(`${s.url}/api/tickets`, { email: 'carla@example.com', description: 'Printer' });
    const dataDir = s.config.dataDir;
    const [letter] = await eventually(() => deadLetters(dataDir).length === 1 && deadLetters(dataDir));
    expect(letter).to.include({ attempts: 1, lastError: 'HTTP 400' });
    expect(receiver.received).to.have.length(1);
  });

  it('npm run kb -- retry-webhooks resends the dead letters once the server is stopped, and refuses while it runs', async () => {
    receiver = await startReceiver({ failures: 1000 });
    s = await startTestServer({ env: webhookEnv(receiver.url) });
    await postJson(`${s.url}/api/tickets`, { email: 'dan@example.com', description: 'Laptop' });
    const dataDir = s.config.dataDir;
    await eventually(() => deadLetters(dataDir).length === 1);
    const env = { DATA_DIR: dataDir, ...webhookEnv(receiver.url) };

    const whileRunning = await runKb(['retry-webhooks'], env);
    expect(whileRunning.code).to.equal(1);
    expect(whileRunning.stderr).to.contain('/api/admin/webhooks/retry');

    // Keep the temp dir: close only the server and the core.
    const { core } = s;
    const cleanupLater = s;
    s = undefined;
    await core.close();
    receiver.failNext(0);
    const r = await runKb(['retry-webhooks'], env);
    expect(r.stdout, r.stderr).to.contain('Resent 1 ticket(s); 0 still undeliverable.');
    expect(r.code).to.equal(0);
    await receiver.delivered(1);
    expect(deadLetters(dataDir)).to.deep.equal([]);
    await cleanupLater.close().catch(() => undefined);
  });

  it('a delivery waiting for its next attempt survives a restart and is sent after it, under the same id', async () => {
    receiver = await startReceiver({ failures: 1000 });
    const tmp = tempDir();
    const config = { url: receiver.url, secret: SECRET, maxAttempts: 5, backoffMs: 300, timeoutMs: 5000 };
    const open = () => openStores({ dataDir: tmp.dir, bot: { stateTtlDays: 30 } });
    const first = await open();
    const worker = new DeliveryWorker(first.deliveries, config).start();
    await first.deliveries.enqueue({
      event: 'ticket.created',
      payload: { ticket: { id: 'T-000042', email: 'eva@example.com' } },
    });
    await eventually(() => receiver.received.length >= 1);
    await worker.close();
    await first.close();

    receiver.failNext(0);
    const second = await open();
    const [waiting] = await second.deliveries.all();
    expect(waiting).to.include({ status: 'pending', lastError: 'HTTP 503' });
    const restarted = new DeliveryWorker(second.deliveries, config, { pollMs: 50 }).start();
    try {
      const [ok] = await receiver.delivered(1);
      expect(ok!.headers['x-deflect-delivery']).to.equal(receiver.received[0]!.headers['x-deflect-delivery']);
      expect(JSON.parse(ok!.body)).to.deep.include({ event: 'ticket.created', deliveryId: waiting!.id });
      await eventually(async () => (await second.deliveries.all()).length === 0, { what: 'the queue to empty' });
    } finally {
      await restarted.close();
      await second.close();
      tmp.cleanup();
    }
  });

  it('stopping the server mid-attempt leaves the delivery due, even on its last attempt', async () => {
    const tmp = tempDir();
    let requests = 0;
    // A receiver that never answers: the attempt is under way when the worker stops.
    const hanging = createServer(() => requests++);
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}/hook`;
    const stores = await openStores({ dataDir: tmp.dir, bot: { stateTtlDays: 30 } });
    try {
      const config = { url, secret: SECRET, maxAttempts: 1, backoffMs: 20, timeoutMs: 60_000 };
      const worker = new DeliveryWorker(stores.deliveries, config).start();
      const d = await stores.deliveries.enqueue({ event: 'ticket.created', payload: { ticket: { id: 'T-000009' } } });
      await eventually(() => requests === 1);
      await worker.close();
      expect(await stores.deliveries.all()).to.deep.equal([
        { ...d, attempts: 1, lastError: 'server stopped', dueAt: (await stores.deliveries.all())[0]!.dueAt },
      ]);
    } finally {
      hanging.closeAllConnections();
      hanging.close();
      await stores.close();
      tmp.cleanup();
    }
  });

  it('kill -9 with deliveries owed: after a restart every acknowledged ticket is delivered once, under its id', async function () {
    // Two server starts (each indexes the KB) in one case: on a loaded machine that alone can take a minute.
    this.timeout(180_000);
    receiver = await startReceiver({ failures: 1000 });
    const tmp = tempDir();
    // Attempts enough that none is dead before the kill, however slowly a loaded machine makes the five tickets.
    const env = {
      DATA_DIR: path.join(tmp.dir, 'data'),
      ...webhookEnv(receiver.url, { WEBHOOK_BACKOFF_MS: '500', WEBHOOK_MAX_ATTEMPTS: '10' }),
    };
    let server = await startServerProcess(env);
    const ids: string[] = [];
    try {
      for (const n of [1, 2, 3, 4, 5]) {
        const t = await postJson(`${server.url}/api/tickets`, { email: `k${n}@example.com`, description: 'Crash' });
        expect(t.status).to.equal(201);
        ids.push(t.body.id);
      }
      await eventually(() => receiver.received.length >= 5, { what: 'a first attempt of each' });
    } finally {
      server.child.kill('SIGKILL');
      await server.exited;
    }
    receiver.failNext(0);
    server = await startServerProcess(env);
    try {
      await receiver.delivered(5, 30_000);
      const taken = receiver.received.filter((r) => r.status === 200).map((r) => JSON.parse(r.body));
      expect(taken.map((b) => b.ticket.id).sort()).to.deep.equal(ids);
      for (const body of taken) {
        const sent = receiver.received.filter((r) => JSON.parse(r.body).ticket.id === body.ticket.id);
        expect(new Set(sent.map((r) => r.headers['x-deflect-delivery']))).to.deep.equal(new Set([body.deliveryId]));
      }
    } finally {
      server.child.kill('SIGKILL');
      await server.exited;
      tmp.cleanup();
    }
  });

  it('moves a dead-letter file left by an earlier version into the queue, and resends it with its delivery id', async () => {
    receiver = await startReceiver();
    const tmp = tempDir();
    const body = JSON.stringify({ event: 'ticket.created', deliveryId: 'd-legacy-1', ticket: { id: 'T-000007' } });
    const letter = { deliveryId: 'd-legacy-1', ticketId: 'T-000007', body, attempts: 5, lastError: 'HTTP 503' };
    mkdirSync(path.join(tmp.dir, 'webhooks'), { recursive: true });
    const file = path.join(tmp.dir, 'webhooks', 'dead-letter.jsonl');
    writeFileSync(file, `${JSON.stringify({ ...letter, failedAt: '2026-01-02T03:04:05.000Z' })}\n{"torn`);
    const stores = await openStores({ dataDir: tmp.dir, bot: { stateTtlDays: 30 } });
    try {
      expect(existsSync(file)).to.equal(false);
      const [dead] = await stores.deliveries.dead();
      expect(dead).to.include({ id: 'd-legacy-1', event: 'ticket.created', attempts: 5, lastError: 'HTTP 503' });
      const sink = new WebhookSink(
        { url: receiver.url, secret: SECRET, maxAttempts: 3, backoffMs: 20, timeoutMs: 5000 },
        stores.deliveries,
      );
      expect(await sink.retryDeadLetters()).to.include({ resent: 1, remaining: 0 });
      const [ok] = await receiver.delivered(1);
      expect(ok!.body).to.equal(body);
      expect(verifies(ok!)).to.equal(true);
    } finally {
      await stores.close();
      tmp.cleanup();
    }
  });
});
