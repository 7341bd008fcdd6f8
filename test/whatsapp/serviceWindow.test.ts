import { expect } from 'chai';
import { replyToTicket } from '../../core/commands/replyToTicket.ts';
import { KeyValueStore } from '../../core/storage/keyValueStore.ts';
import { FileDeliveryQueue } from '../../core/storage/fileDeliveryQueue.ts';
import type { Ticket, TicketChangeEvent } from '../../core/tickets/types.ts';
import { readConversation, writeConversation } from '../../core/whatsapp/channelState.ts';
import { GraphClient } from '../../core/whatsapp/graphClient.ts';
import { insideServiceWindow } from '../../core/whatsapp/serviceWindow.ts';
import { WhatsAppSink } from '../../core/whatsapp/whatsAppSink.ts';
import { FakeGraph } from '../fakes/fakeGraph.ts';
import { eventually } from '../helpers/eventually.ts';
import { tempDir } from '../helpers/tempDir.ts';
import { startWhatsApp, textOf, type WhatsAppHarness } from './harness.ts';
import { PHONE_NUMBER_ID, TOKEN } from './payloads.ts';

const HOUR = 3_600_000;
const WA = '34600222333';

function ticket(overrides: Partial<Ticket> = {}): Ticket {
  return {
    id: 'T-000042',
    status: 'open',
    createdAt: '2026-03-01T09:00:00.000Z',
    updatedAt: '2026-03-01T09:00:00.000Z',
    channel: 'whatsapp',
    lang: 'es',
    email: '',
    userId: WA,
    subject: 'La impresora no imprime',
    reason: 'user',
    transcript: [],
    shown: [],
    tags: [],
    notes: [],
    messages: [],
    ...overrides,
  };
}

const agentMessage = (text = 'Hola Ana:\n\nYa está arreglada.   Prueba de nuevo.') => ({
  message: { id: 'm1', from: 'agent' as const, text, internal: false, at: '2026-03-01T12:00:00.000Z' },
});

/** What the sink owes for a change, each sent as the delivery worker would (one attempt, which must succeed). */
async function deliver(s: WhatsAppSink, event: TicketChangeEvent, t: Ticket, detail: Record<string, unknown>) {
  for (const d of s.owe({ event, detail }, t))
    expect(await s.sender.send(d, new AbortController().signal)).to.deep.equal({ ok: true });
}

describe('WhatsApp 24-hour customer-service window (agent replies)', function () {
  this.timeout(60_000);

  describe('insideServiceWindow', () => {
    const last = '2026-03-01T10:00:00.000Z';
    const at = (hours: number) => Date.parse(last) + hours * HOUR;
    for (const [hours, inside] of [
      [0, true],
      [23, true],
      [23.99, false],
      [24, false],
      [72, false],
    ] as const)
      it(`${hours} h after the customer's last message: ${inside ? 'free text' : 'template only'}`, () => {
        expect(insideServiceWindow(last, at(hours))).to.equal(inside);
      });
    it('no known message from the customer: template only', () => {
      expect(insideServiceWindow(undefined, at(0))).to.equal(false);
    });
  });

  describe('the WhatsApp sink, on a fake clock', () => {
    let graph: FakeGraph;
    let tmp: ReturnType<typeof tempDir>;
    let state: KeyValueStore<Record<string, unknown>>;
    let clock: number;
    let queue: FileDeliveryQueue;
    const sink = (template?: { name: string; lang?: string }) =>
      new WhatsAppSink({
        graph: new GraphClient({ graphUrl: graph.url, token: TOKEN, phoneNumberId: PHONE_NUMBER_ID }, { attempts: 1 }),
        channelState: async () => state,
        queue,
        config: { replyTemplate: template, maxAttempts: 3, backoffMs: 5, timeoutMs: 5000 },
        now: () => clock,
      });
    beforeEach(async () => {
      graph = await FakeGraph.start();
      tmp = tempDir();
      state = await KeyValueStore.open(`${tmp.dir}/state.json`, { ttlDays: 30 });
      queue = await FileDeliveryQueue.open(tmp.dir, 'whatsapp');
      const { conversation } = await readConversation(state, WA);
      await writeConversation(state, { ...conversation, lastInboundAt: '2026-03-01T10:00:00.000Z' }, undefined);
    });
    afterEach(async () => {
      await graph.close();
      tmp.cleanup();
    });

    it('inside 24 h of the customer’s last message, sends the reply as free-form text in the ticket’s language', async () => {
      clock = Date.parse('2026-03-02T09:00:00.000Z');
      const s = sink({ name: 'ticket_reply' });
      await deliver(s, 'ticket.message', ticket(), agentMessage());
      expect(graph.to(WA)).to.have.length(1);
      expect(graph.to(WA)[0]).to.deep.include({ type: 'text' });
      expect(textOf(graph.to(WA)[0])).to.equal(
        'Respuesta a tu solicitud T-000042:\n\nHola Ana:\n\nYa está arreglada.   Prueba de nuevo.',
      );
    });

    it('after 24 h, sends the approved template with the ticket id and the reply on one line', async () => {
      clock = Date.parse('2026-03-02T10:30:00.000Z');
      const s = sink({ name: 'ticket_reply' });
      await deliver(s, 'ticket.message', ticket({ lang: 'en' }), agentMessage());
      expect(graph.to(WA)).to.deep.equal([
        {
          messaging_product: 'whatsapp',
          recipient_type: 'individual',
          to: WA,
          type: 'template',
          template: {
            name: 'ticket_reply',
            language: { code: 'en' },
            components: [
              {
                type: 'body',
                parameters: [
                  { type: 'text', text: 'T-000042' },
                  { type: 'text', text: 'Hola Ana: Ya está arreglada. Prueba de nuevo.' },
                ],
              },
            ],
          },
        },
      ]);
    });

    it('a template language set in the configuration wins over the ticket’s', async () => {
      clock = Date.parse('2026-03-05T10:00:00.000Z');
      const s = sink({ name: 'ticket_reply', lang: 'es_ES' });
      await deliver(s, 'ticket.message', ticket({ lang: 'en' }), agentMessage());
      expect((graph.to(WA)[0] as { template: { language: unknown } }).template.language).to.deep.equal({
        code: 'es_ES',
      });
    });

    it('after 24 h without a template, sends nothing (the reply stays on the ticket)', async () => {
      clock = Date.parse('2026-03-05T10:00:00.000Z');
      const s = sink();
      await deliver(s, 'ticket.message', ticket(), agentMessage());
      expect(graph.requests).to.deep.equal([]);
    });

    it('sends nothing for internal notes, customer messages, other changes or other channels’ tickets', async () => {
      clock = Date.parse('2026-03-01T11:00:00.000Z');
      const s = sink({ name: 'ticket_reply' });
      const m = agentMessage().message;
      await deliver(s, 'ticket.message', ticket(), { message: { ...m, internal: true } });
      await deliver(s, 'ticket.message', ticket(), { message: { ...m, from: 'customer' } });
      await deliver(s, 'ticket.updated', ticket(), agentMessage());
      await deliver(s, 'ticket.message', ticket({ channel: 'widget' }), agentMessage());
      expect(graph.requests).to.deep.equal([]);
    });
  });

  describe('end to end: an agent replies to a ticket opened on WhatsApp', () => {
    let wa: WhatsAppHarness;
    before(async () => {
      wa = await startWhatsApp({
        decisions: { 'my printer is on fire': { action: 'ticket', ranked: [] } },
        env: { WHATSAPP_REPLY_TEMPLATE: 'ticket_reply' },
      });
    });
    after(async () => {
      await wa?.close();
    });

    const openTicketFrom = async (from: string, at?: Date) => {
      await wa.say(from, { text: 'my printer is on fire' }, { at });
      const [confirm] = await wa.say(from, { text: 'agent' }, { at });
      const [done] = await wa.say(from, { buttonReply: confirm!.interactive.action.buttons[0].reply }, { at });
      return /(T-\d+)/.exec(textOf(done))![1]!;
    };

    it('a customer who wrote a minute ago gets the reply as text', async () => {
      const from = '34600222001';
      const id = await openTicketFrom(from);
      await replyToTicket(wa.core, { id, text: 'Turn it off and call facilities.', author: 'maria' });
      await eventually(() => wa.graph.to(from).length === 4);
      expect(textOf(wa.graph.to(from)[3])).to.equal(`Reply to your request ${id}:\n\nTurn it off and call facilities.`);
    });

    it('a customer whose last message is 25 hours old gets the template', async () => {
      const from = '34600222002';
      const id = await openTicketFrom(from, new Date(Date.now() - 25 * HOUR));
      await replyToTicket(wa.core, { id, text: 'Turn it off.', author: 'maria' });
      await eventually(() => wa.graph.to(from).length === 4);
      expect(wa.graph.to(from)[3]).to.deep.include({ type: 'template' });
    });
  });
});
