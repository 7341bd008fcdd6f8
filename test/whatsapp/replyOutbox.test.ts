import { expect } from 'chai';
import { replyToTicket } from '../../core/commands/replyToTicket.ts';
import { FileDeliveryQueue } from '../../core/storage/fileDeliveryQueue.ts';
import { KeyValueStore } from '../../core/storage/keyValueStore.ts';
import { DeliveryWorker } from '../../core/tickets/deliveryWorker.ts';
import type { Ticket } from '../../core/tickets/types.ts';
import { readConversation, writeConversation } from '../../core/whatsapp/channelState.ts';
import { GraphClient } from '../../core/whatsapp/graphClient.ts';
import { WhatsAppSink } from '../../core/whatsapp/whatsAppSink.ts';
import { FakeGraph } from '../fakes/fakeGraph.ts';
import { eventually } from '../helpers/eventually.ts';
import { postJson } from '../helpers/server.ts';
import { tempDir } from '../helpers/tempDir.ts';
import { startWhatsApp, textOf, type WhatsAppHarness } from './harness.ts';
import { PHONE_NUMBER_ID, TOKEN } from './payloads.ts';

const WA = '34600333444';
const LAST_INBOUND = '2026-03-01T10:00:00.000Z';

const ticket = (overrides: Partial<Ticket> = {}): Ticket => ({
  id: 'T-000077',
  status: 'open',
  createdAt: '2026-03-01T09:00:00.000Z',
  updatedAt: '2026-03-01T12:00:00.000Z',
  channel: 'whatsapp',
  lang: 'es',
  email: '',
  userId: WA,
  subject: 'El portátil no arranca',
  reason: 'user',
  transcript: [],
  shown: [],
  tags: [],
  notes: [],
  messages: [],
  ...overrides,
});

const reply = { id: 'm1', from: 'agent' as const, text: 'Ya está.', internal: false, at: '2026-03-01T12:00:00.000Z' };

/** The chat the end-to-end specs hold: the engine has nothing for this question, so it offers a person. */
const LAPTOP_TICKET = { 'my laptop will not start': { action: 'ticket' as const, ranked: [] } };

/** A WhatsApp user talks their way to a ticket; Graph then fails twice as an agent replies. The ticket's id. */
async function agentRepliesWhileGraphFails(wa: WhatsAppHarness, from: string): Promise<string> {
  await wa.say(from, { text: 'my laptop will not start' });
  const [confirm] = await wa.say(from, { text: 'agent' });
  const [done] = await wa.say(from, { buttonReply: confirm!.interactive.action.buttons[0].reply });
  const id = /(T-\d+)/.exec(textOf(done))![1]!;
  wa.graph.failNext(500, 500);
  await replyToTicket(wa.core, { id, text: 'Hold the power button for 30 seconds.', author: 'maria' });
  return id;
}

/**
 * Agents' replies on WhatsApp tickets go through the transactional outbox
 * (issue 19): owed by the ticket change, queued on `whatsapp`, sent by the
 * delivery worker with retries, kept dead after the last attempt — and the
 * 24-hour window is read when a reply is sent, not when it was queued.
 */
describe('WhatsApp agent replies through the outbox', function () {
  this.timeout(60_000);

  describe('the sink and its queue, on a fake clock', () => {
    let graph: FakeGraph;
    let tmp: ReturnType<typeof tempDir>;
    let state: KeyValueStore<Record<string, unknown>>;
    let queue: FileDeliveryQueue;
    let clock: number;
    let worker: DeliveryWorker | undefined;
    const sink = (maxAttempts = 3) =>
      new WhatsAppSink({
        graph: new GraphClient({ graphUrl: graph.url, token: TOKEN, phoneNumberId: PHONE_NUMBER_ID }, { attempts: 1 }),
        channelState: async () => state,
        queue,
        config: { replyTemplate: { name: 'ticket_reply' }, maxAttempts, backoffMs: 10, timeoutMs: 5000 },
        now: () => clock,
      });
    /** Queue what the sink owes for an agent's reply, as the ticket store does with the change. */
    const owe = async (s: WhatsAppSink) => {
      const [d, ...more] = s.owe({ event: 'ticket.message', detail: { message: reply } }, ticket());
      expect(more).to.deep.equal([]);
      const { queue: _name, ...delivery } = d!;
      await queue.hold([delivery]);
      queue.release([delivery.id]);
      return delivery;
    };
    beforeEach(async () => {
      graph = await FakeGraph.start();
      tmp = tempDir();
      state = await KeyValueStore.open(`${tmp.dir}/state.json`, { ttlDays: 30 });
      queue = await FileDeliveryQueue.open(tmp.dir, 'whatsapp');
      const { conversation } = await readConversation(state, WA);
      await writeConversation(state, { ...conversation, lastInboundAt: LAST_INBOUND }, undefined);
      clock = Date.parse('2026-03-01T12:00:00.000Z');
    });
    afterEach(async () => {
      await worker?.close();
      worker = undefined;
      await graph.close();
      tmp.cleanup();
    });

    it('owes one delivery per change, with the same id however often the change is recorded', () => {
      const s = sink();
      const change = { event: 'ticket.message' as const, detail: { message: reply } };
      const [a] = s.owe(change, ticket());
      const [b] = s.owe(change, ticket());
      expect(a!.queue).to.equal('whatsapp');
      expect(a!.id).to.equal(b!.id);
      expect(s.owe(change, ticket({ updatedAt: '2026-03-01T12:00:00.001Z' }))[0]!.id).to.not.equal(a!.id);
    });

    it('a reply survives Graph answering 500 on its first attempts and arrives once', async () => {
      const s = sink(5);
      await owe(s);
      graph.failNext(500, 500);
      worker = new DeliveryWorker(queue, s.sender, { pollMs: 20 }).start();
      await eventually(async () => (await queue.all()).length === 0, { what: 'the queue emptied' });
      expect(graph.requests).to.have.length(3);
      expect(graph.to(WA).map((m) => m.type)).to.deep.equal(['text', 'text', 'text']);
      expect(
        graph.requests.filter((r) => r.body.type === 'text' && textOf(r.body).endsWith('Ya está.')),
      ).to.have.length(3);
      expect(await queue.dead()).to.deep.equal([]);
    });

    it('a delivery claimed again after it was sent (its acknowledgement lost) is not sent twice', async () => {
      const s = sink();
      const d = await owe(s);
      const signal = new AbortController().signal;
      expect(await s.sender.send({ ...d, attempts: 1 }, signal)).to.deep.equal({ ok: true });
      expect(await s.sender.send({ ...d, attempts: 2 }, signal)).to.deep.equal({ ok: true });
      expect(graph.to(WA)).to.have.length(1);
    });

    it('queued inside the window, sent after it closed (Graph down meanwhile): the template goes out', async () => {
      const s = sink();
      const d = await owe(s);
      graph.failNext(503);
      const signal = new AbortController().signal;
      expect(await s.sender.send(d, signal)).to.deep.include({ ok: false, retry: true });
      clock = Date.parse('2026-03-02T11:00:00.000Z');
      expect(await s.sender.send(d, signal)).to.deep.equal({ ok: true });
      expect(graph.to(WA).map((m) => m.type)).to.deep.equal(['text', 'template']);
      expect((graph.to(WA)[1] as { template: { name: string } }).template.name).to.equal('ticket_reply');
    });

    it('kept dead after the last attempt, and sent when the dead are resent', async () => {
      const s = sink(2);
      await owe(s);
      graph.failNext(500, 500);
      worker = new DeliveryWorker(queue, s.sender, { pollMs: 20 }).start();
      await eventually(async () => (await queue.dead()).length === 1, { what: 'the reply kept dead' });
      expect(graph.requests).to.have.length(2);
      expect(await s.retryDeadReplies()).to.deep.include({ resent: 1, remaining: 0 });
      expect(graph.requests).to.have.length(3);
      expect(await queue.all()).to.deep.equal([]);
    });

    it('a refusal (4xx) is not retried: kept dead at once', async () => {
      const s = sink(5);
      await owe(s);
      graph.failNext(400);
      worker = new DeliveryWorker(queue, s.sender, { pollMs: 20 }).start();
      await eventually(async () => (await queue.dead()).length === 1, { what: 'the reply kept dead' });
      expect(graph.requests).to.have.length(1);
    });
  });

  describe('end to end: Graph fails while an agent replies', () => {
    let wa: WhatsAppHarness;
    before(async () => {
      wa = await startWhatsApp({
        decisions: LAPTOP_TICKET,
        env: { WHATSAPP_REPLY_TEMPLATE: 'ticket_reply', WHATSAPP_BACKOFF_MS: '20' },
      });
    });
    after(async () => {
      await wa?.close();
    });

    it('the reply is queued with the change, survives two 500s and reaches the customer once', async () => {
      const from = '34600333001';
      const id = await agentRepliesWhileGraphFails(wa, from);
      await eventually(async () => (await wa.core.whatsapp!.all()).length === 0, { what: 'the queue emptied' });
      const sent = wa.graph.to(from).slice(3);
      expect(sent).to.have.length(3);
      expect(new Set(sent.map(textOf))).to.deep.equal(
        new Set([`Reply to your request ${id}:\n\nHold the power button for 30 seconds.`]),
      );
      expect(await wa.core.whatsapp!.dead()).to.deep.equal([]);
    });
  });
  describe('resending the dead replies after an outage', () => {
    const ADMIN = 'admin-key-0123456789';
    let wa: WhatsAppHarness;
    before(async () => {
      wa = await startWhatsApp({
        decisions: LAPTOP_TICKET,
        env: {
          DEFLECT_API_KEYS: `agent=agent-key-0123456789,admin=${ADMIN}`,
          WHATSAPP_MAX_ATTEMPTS: '2',
          WHATSAPP_BACKOFF_MS: '20',
        },
      });
    });
    after(async () => {
      await wa?.close();
    });

    it('POST /api/admin/whatsapp/retry sends a reply kept dead once Graph is back, and only for an admin', async () => {
      const from = '34600333002';
      const id = await agentRepliesWhileGraphFails(wa, from);
      await eventually(async () => (await wa.core.whatsapp!.dead()).length === 1, { what: 'the reply kept dead' });
      const before = wa.graph.to(from).length;

      const refused = await postJson(
        `${wa.url}/api/admin/whatsapp/retry`,
        {},
        { Authorization: 'Bearer agent-key-0123456789' },
      );
      expect(refused.status).to.equal(403);
      const r = await postJson(`${wa.url}/api/admin/whatsapp/retry`, {}, { Authorization: `Bearer ${ADMIN}` });
      expect(r.status).to.equal(200);
      expect(r.body).to.deep.include({ resent: 1, remaining: 0 });
      expect(wa.graph.to(from).slice(before).map(textOf)).to.deep.equal([
        `Reply to your request ${id}:\n\nHold the power button for 30 seconds.`,
      ]);
      expect(await wa.core.whatsapp!.dead()).to.deep.equal([]);
    });
  });
});
