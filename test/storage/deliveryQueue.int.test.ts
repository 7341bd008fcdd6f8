import { expect } from 'chai';
import pg from 'pg';
import type { WebhookConfig } from '../../core/config/tickets.ts';
import type { DeliveryQueue } from '../../core/storage/ports.ts';
import { channelOf } from '../../core/storage/postgres/pgDeliveryQueue.ts';
import { DeliveryWorker, retryDead } from '../../core/tickets/deliveryWorker.ts';
import { signWebhook } from '../../core/tickets/postWebhook.ts';
import { eventually } from '../helpers/eventually.ts';
import { describeStorageContract } from '../helpers/storageBackends.ts';
import { startReceiver, type Received } from '../tickets/receiver.ts';

const SECRET = 'delivery-secret-0123456789';

/** Requests per delivery id, and how many of them the receiver took (answered 200). */
function byDelivery(received: Received[]): Map<string, { requests: number; taken: number }> {
  const out = new Map<string, { requests: number; taken: number }>();
  for (const r of received) {
    const id = String(r.headers['x-deflect-delivery']);
    const entry = out.get(id) ?? { requests: 0, taken: 0 };
    entry.requests++;
    if (r.status === 200) entry.taken++;
    out.set(id, entry);
  }
  return out;
}

const ticket = (n: number) => ({ ticket: { id: `T-${String(n).padStart(6, '0')}`, email: `user${n}@example.com` } });

describeStorageContract('DeliveryQueue (webhook deliveries)', (pair) => {
  let receiver: Awaited<ReturnType<typeof startReceiver>> | undefined;
  const workers: DeliveryWorker[] = [];
  const config = (): WebhookConfig => ({
    url: receiver!.url,
    secret: SECRET,
    maxAttempts: 3,
    backoffMs: 20,
    timeoutMs: 5000,
  });
  /** A worker as an instance runs it, polling often so a spec does not wait out the default second. */
  const startWorker = (queue: DeliveryQueue, overrides: Partial<WebhookConfig> = {}) => {
    const w = new DeliveryWorker(queue, { ...config(), ...overrides }, { pollMs: 50 }).start();
    workers.push(w);
    return w;
  };
  const empty = (queue: DeliveryQueue) =>
    eventually(async () => (await queue.all()).length === 0, { what: 'the queue to empty' });

  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.close()));
    await receiver?.close();
    receiver = undefined;
  });

  it('a delivery enqueued on one instance is sent by the worker of the other, signed, with its body, and forgotten', async () => {
    receiver = await startReceiver();
    startWorker(pair().b.deliveries);
    const d = await pair().a.deliveries.enqueue({ event: 'ticket.created', payload: ticket(1) });
    const [ok] = await receiver.delivered(1);
    expect(ok!.headers).to.include({ 'x-deflect-event': 'ticket.created', 'x-deflect-delivery': d.id });
    expect(JSON.parse(ok!.body)).to.deep.equal({ event: 'ticket.created', deliveryId: d.id, ...ticket(1) });
    const ts = String(ok!.headers['x-deflect-timestamp']);
    expect(ok!.headers['x-deflect-signature']).to.equal(signWebhook(SECRET, ts, ok!.body));
    await empty(pair().a.deliveries);
  });

  it('a receiver failing the first two attempts gets the delivery once afterwards, under the same delivery id', async () => {
    receiver = await startReceiver({ failures: 2 });
    startWorker(pair().a.deliveries);
    const d = await pair().a.deliveries.enqueue({ event: 'ticket.created', payload: ticket(2) });
    await receiver.delivered(1);
    await empty(pair().b.deliveries);
    expect(receiver.received.map((r) => r.status)).to.deep.equal([503, 503, 200]);
    expect(byDelivery(receiver.received).get(d.id)).to.deep.equal({ requests: 3, taken: 1 });
  });

  it('a 4xx other than 408/429 makes the delivery dead at once', async () => {
    receiver = await startReceiver({ failures: 1, failStatus: 422 });
    startWorker(pair().a.deliveries);
    const d = await pair().a.deliveries.enqueue({ event: 'ticket.created', payload: ticket(3) });
    const [dead] = await eventually(async () => {
      const list = await pair().b.deliveries.dead();
      return list.length === 1 && list;
    });
    expect(dead).to.include({ id: d.id, status: 'dead', attempts: 1, lastError: 'HTTP 422' });
    expect(receiver.received).to.have.length(1);
  });

  for (const status of [408, 429]) {
    it(`${status} is retried like a server error`, async () => {
      receiver = await startReceiver({ failures: 1, failStatus: status });
      startWorker(pair().a.deliveries);
      const d = await pair().a.deliveries.enqueue({ event: 'ticket.created', payload: ticket(4) });
      await receiver.delivered(1);
      expect(byDelivery(receiver.received).get(d.id)).to.deep.equal({ requests: 2, taken: 1 });
    });
  }

  it('after the last attempt a delivery is dead; a retry resends it under its id, and a failed resend stays dead', async () => {
    receiver = await startReceiver({ failures: 1000 });
    startWorker(pair().a.deliveries);
    const d = await pair().a.deliveries.enqueue({ event: 'ticket.created', payload: ticket(5) });
    await eventually(async () => (await pair().a.deliveries.dead()).length === 1);
    expect(receiver.received).to.have.length(3);

    const again = await retryDead(pair().b.deliveries, config());
    expect(again).to.deep.equal({ resent: 0, remaining: 1, errors: [{ ticketId: 'T-000005', error: 'HTTP 503' }] });
    expect((await pair().a.deliveries.dead())[0]).to.include({ id: d.id, attempts: 4 });

    receiver.failNext(0);
    expect(await retryDead(pair().b.deliveries, config())).to.deep.equal({ resent: 1, remaining: 0, errors: [] });
    expect(byDelivery(receiver.received).get(d.id)).to.deep.equal({ requests: 5, taken: 1 });
    expect(await pair().a.deliveries.all()).to.deep.equal([]);
  });

  it('two workers on two instances share 200 deliveries, each taken exactly once, although the receiver fails at first', async function () {
    this.timeout(60_000);
    receiver = await startReceiver({ failures: 50 });
    startWorker(pair().a.deliveries, { maxAttempts: 10 });
    startWorker(pair().b.deliveries, { maxAttempts: 10 });
    const ids = new Set<string>();
    for (let n = 0; n < 200; n += 20) {
      const batch = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          (i % 2 ? pair().a : pair().b).deliveries.enqueue({ event: 'ticket.created', payload: ticket(n + i) }),
        ),
      );
      for (const d of batch) ids.add(d.id);
    }
    await receiver.delivered(200, 50_000);
    await empty(pair().a.deliveries);
    const seen = byDelivery(receiver.received);
    expect([...seen.keys()].sort()).to.deep.equal([...ids].sort());
    expect([...seen.values()].filter((s) => s.taken !== 1)).to.deep.equal([]);
    expect(receiver.received.filter((r) => r.status === 200)).to.have.length(200);
  });

  it('a delivery whose worker stops answering (a killed instance) is sent by the other once the lease runs out', async () => {
    receiver = await startReceiver();
    const d = await pair().a.deliveries.enqueue({ event: 'ticket.created', payload: ticket(6) });
    // The "killed" instance claims it and is never heard of again.
    const [taken] = await pair().a.deliveries.claim('killed-instance', { limit: 10, leaseMs: 1500 });
    expect(taken).to.include({ id: d.id, attempts: 1 });
    expect(await pair().b.deliveries.claim('other', { limit: 10, leaseMs: 1500 })).to.deep.equal([]);
    startWorker(pair().b.deliveries);
    const [ok] = await receiver.delivered(1);
    expect(JSON.parse(ok!.body).deliveryId).to.equal(d.id);
    await empty(pair().b.deliveries);
    // Its late report changes nothing: the delivery is done.
    await pair().a.deliveries.failed(d.id, 'killed-instance', { error: 'late', retryInMs: 0 });
    expect(await pair().b.deliveries.all()).to.deep.equal([]);
    expect(receiver.received).to.have.length(1);
  });

  it('an erasure rewrites the payload of every delivery still owed, pending or dead', async () => {
    const { a, b } = pair();
    const kept = await a.deliveries.enqueue({ event: 'ticket.created', payload: ticket(7) });
    const other = await a.deliveries.enqueue({ event: 'ticket.created', payload: ticket(8) });
    await a.deliveries.claim('w', { limit: 1, leaseMs: 60_000 });
    await a.deliveries.failed(kept.id, 'w', { error: 'HTTP 400' });
    const n = await b.deliveries.rewrite((d) =>
      (d.payload.ticket as { email: string }).email === 'user7@example.com'
        ? { ticket: { id: 'T-000007', email: '' } }
        : undefined,
    );
    expect(n).to.equal(1);
    const all = await a.deliveries.all();
    expect(all.map((d) => [d.id, d.status, d.payload])).to.deep.equal([
      [kept.id, 'dead', { ticket: { id: 'T-000007', email: '' } }],
      [other.id, 'pending', ticket(8)],
    ]);
  });

  it('adopting deliveries kept elsewhere skips the ids already queued', async () => {
    const { a, b } = pair();
    const d = await a.deliveries.enqueue({ event: 'ticket.created', payload: ticket(9) });
    const legacy = { ...d, id: 'legacy-1', status: 'dead' as const, attempts: 5, lastError: 'HTTP 503' };
    expect(await b.deliveries.adopt([d, legacy])).to.equal(1);
    expect(await b.deliveries.adopt([legacy])).to.equal(0);
    expect((await a.deliveries.dead()).map((x) => [x.id, x.attempts, x.lastError])).to.deep.equal([
      ['legacy-1', 5, 'HTTP 503'],
    ]);
  });

  it('an instance whose listening connection is terminated listens again and hears the next delivery of the other', async function () {
    const url = pair().databaseUrl;
    if (!url) return this.skip(); // the embedded queue has no connection to lose
    let heard = 0;
    const stop = pair().b.deliveries.onEnqueued(() => heard++);
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    try {
      const listening = async () =>
        (
          await db.query<{ pid: number }>(
            `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND state = 'idle' AND query = $1`,
            [`LISTEN ${channelOf('webhook')}`],
          )
        ).rows;
      // An empty list is truthy: wait for a row, not for the query.
      const [first] = await eventually(async () => ((rows) => rows.length > 0 && rows)(await listening()), {
        timeoutMs: 20_000,
        what: 'b to listen',
      });
      const atTermination = heard;
      await db.query('SELECT pg_terminate_backend($1)', [first!.pid]);
      // Its reconnection tells the listener too (what was enqueued meanwhile went unheard): then it listens again.
      await eventually(async () => heard > atTermination && (await listening()).some((r) => r.pid !== first!.pid), {
        timeoutMs: 20_000,
        what: 'b to listen again',
      });
      const beforeEnqueue = heard;
      // Only through NOTIFY: a and b are separate instances, each with its own pool.
      await pair().a.deliveries.enqueue({ event: 'ticket.created', payload: ticket(10) });
      await eventually(() => heard > beforeEnqueue, { timeoutMs: 20_000, what: "b to hear a's delivery" });
    } finally {
      stop();
      await db.end();
    }
  });
});
