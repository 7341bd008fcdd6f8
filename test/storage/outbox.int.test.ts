import { expect } from 'chai';
import { openTicket } from '../../core/commands/openTicket.ts';
import { loadConfig } from '../../core/config/index.ts';
import { openServices } from '../../core/openServices.ts';
import type { CoreServices } from '../../core/services.ts';
import type { Owe, TicketDraft } from '../../core/storage/ports.ts';
import { DeliveryWorker } from '../../core/tickets/deliveryWorker.ts';
import { newIdempotencyClaim } from '../../core/tickets/idempotency.ts';
import { owedDelivery } from '../../core/tickets/outbox.ts';
import { runProcess } from '../helpers/child.ts';
import { eventually } from '../helpers/eventually.ts';
import { FIXTURE_KB } from '../helpers/fixtureKb.ts';
import { freshDatabase, skipWhen } from '../helpers/services.ts';
import { describeStorageContract, storageBackends } from '../helpers/storageBackends.ts';
import { tempDir } from '../helpers/tempDir.ts';
import { startReceiver } from '../tickets/receiver.ts';

const SECRET = 'outbox-secret-0123456789';

const draft = (over: Partial<TicketDraft> = {}): TicketDraft => ({
  channel: 'widget',
  lang: 'en',
  email: 'ana@example.com',
  subject: 'My card was not delivered',
  reason: 'user',
  transcript: [],
  shown: [],
  ...over,
});

/** What a webhook and a mail sink owe for a change: one delivery in each queue. */
const owing =
  (event: string): Owe =>
  (t) => [
    owedDelivery('webhook', t, event, { ticket: { id: t.id, status: t.status } }),
    owedDelivery('mail', t, `mail.${event}`, { ticketId: t.id }),
  ];

describeStorageContract('Transactional outbox: a ticket change and the deliveries it owes', (pair) => {
  it('are stored together: once create resolves, the other instance has the webhook and the mail queued', async () => {
    const t = await pair().a.tickets.create(draft(), owing('ticket.created'));
    const [hook] = await pair().b.deliveries.all();
    const [mail] = await pair().b.mail.all();
    expect(hook).to.include({ event: 'ticket.created', status: 'pending', attempts: 0 });
    expect(hook!.payload).to.deep.equal({ ticket: { id: t.id, status: 'open' } });
    expect(mail).to.include({ event: 'mail.ticket.created' });
    expect(hook!.id).to.equal(owedDelivery('webhook', t, 'ticket.created', {}).id);
  });

  it('a replayed creation (same Idempotency-Key) never enqueues twice', async () => {
    const claim = newIdempotencyClaim('outbox-key-0123456789', ['widget', 'ana@example.com']);
    const first = await pair().a.tickets.createOnce(claim, draft(), owing('ticket.created'));
    const again = await pair().b.tickets.createOnce(claim, draft(), owing('ticket.created'));
    expect(again).to.include({ replayed: true });
    expect(again.ticket.id).to.equal(first.ticket.id);
    expect((await pair().a.deliveries.all()).map((d) => d.payload)).to.deep.equal([
      { ticket: { id: first.ticket.id, status: 'open' } },
    ]);
    expect(await pair().a.mail.all()).to.have.length(1);
  });

  it('each change owes its own deliveries, with distinct ids even within one millisecond', async () => {
    const t = await pair().a.tickets.create(draft());
    await pair().a.tickets.update(t.id, (x) => void (x.status = 'pending'), owing('ticket.updated'));
    await pair().b.tickets.update(t.id, (x) => void (x.status = 'open'), owing('ticket.updated'));
    const hooks = await pair().a.deliveries.all();
    expect(hooks.map((d) => (d.payload.ticket as { status: string }).status)).to.deep.equal(['pending', 'open']);
    expect(new Set(hooks.map((d) => d.id)).size).to.equal(2);
  });

  it('a change refused under the lock, or one that throws, owes nothing', async () => {
    const t = await pair().a.tickets.create(draft());
    await pair().a.tickets.update(t.id, () => false, owing('ticket.updated'));
    const thrown = await pair()
      .b.tickets.update(
        t.id,
        () => {
          throw new Error('rule broken');
        },
        owing('ticket.updated'),
      )
      .catch((e: Error) => e);
    expect(thrown).to.be.instanceOf(Error);
    expect(await pair().a.deliveries.all()).to.deep.equal([]);
    expect(await pair().b.mail.all()).to.deep.equal([]);
  });
});

/** One deployment's instance settings: a data directory of its own, and the database when PostgreSQL. */
async function deployment(backend: (typeof storageBackends)[number]) {
  const dir = tempDir();
  const db = backend.name === 'postgres' ? await freshDatabase() : undefined;
  return {
    env: { DATA_DIR: dir.dir, ...(db ? { DATABASE_URL: db.url } : {}) },
    async drop() {
      await db?.drop();
      dir.cleanup();
    },
  };
}

for (const backend of storageBackends)
  describe(`Transactional outbox across a kill -9 (${backend.name})`, function () {
    this.timeout(120_000);
    before(async function () {
      const reason = await backend.unavailable();
      skipWhen(reason, this);
    });

    it('a ticket acknowledged is delivered even if the process dies right after the commit; a replay queues nothing more', async () => {
      const receiver = await startReceiver();
      const d = await deployment(backend);
      const key = 'outbox-kill-key-0123456789';
      const env = { ...d.env, WEBHOOK_URL: receiver.url, WEBHOOK_SECRET: SECRET, IDEMPOTENCY_KEY: key };
      let services: Awaited<ReturnType<typeof openServices>> | undefined;
      let worker: DeliveryWorker | undefined;
      try {
        const child = runProcess(['test/storage/outboxChild.ts'], env);
        let output = '';
        child.child.stdout!.on('data', (b: Buffer) => (output += b.toString()));
        await eventually(() => /committed T-\d+/.test(output) || child.child.exitCode !== null, {
          timeoutMs: 90_000,
          what: 'the child to commit a ticket',
        });
        child.child.kill('SIGKILL');
        const { signal, output: all } = await child.done;
        expect(signal, all).to.equal('SIGKILL');
        const id = /committed (T-\d+)/.exec(output)![1]!;

        // A fresh instance on the same data: the ticket is there, and so is what it owes.
        const config = loadConfig({
          ...d.env,
          KB_DIR: FIXTURE_KB,
          WEBHOOK_URL: receiver.url,
          WEBHOOK_SECRET: SECRET,
          LOG_LEVEL: 'error',
        });
        services = await openServices(config);
        expect((await services.tickets.get(id)).subject).to.equal('La impresora no imprime');
        const mails = await services.mail.all();
        expect(mails.map((m) => [m.event, m.payload.ticketId])).to.deep.equal([['mail.created', id]]);
        worker = new DeliveryWorker(services.deliveries, config.tickets.webhook!, { pollMs: 50 }).start();
        const [ok] = await receiver.delivered(1, 30_000);
        const body = JSON.parse(ok!.body) as { event: string; deliveryId: string; ticket: { id: string } };
        expect([body.event, body.ticket.id]).to.deep.equal(['ticket.created', id]);
        expect(ok!.headers['x-deflect-delivery']).to.equal(body.deliveryId);
        await eventually(async () => (await services!.deliveries.all()).length === 0, { what: 'the queue to empty' });

        // The client, cut off, retries with its key on the new instance: the same ticket, nothing queued again.
        const core = {
          ...services,
          index: { get: () => ({ manifest: {}, articles: new Map() }) },
          engine: { thresholds: { clarify: 1 } },
        } as unknown as CoreServices;
        const replay = await openTicket(core, {
          channel: 'api',
          email: 'ana@example.com',
          subject: 'La impresora no imprime',
          lang: 'es',
          idempotencyKey: key,
        });
        expect(replay).to.include({ id, replayed: true });
        expect(await services.deliveries.all()).to.deep.equal([]);
        expect(await services.mail.all()).to.have.length(1);
        // Time enough for a wrongly queued second delivery to go out.
        await new Promise((r) => setTimeout(r, 500));
        expect(receiver.received.filter((r) => r.status === 200)).to.have.length(1);
      } finally {
        await worker?.close();
        await services?.close();
        await receiver.close();
        await d.drop();
      }
    });
  });
