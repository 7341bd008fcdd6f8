import { expect } from 'chai';
import { GraphClient } from '../../core/whatsapp/graphClient.ts';
import { WhatsAppSink } from '../../core/whatsapp/whatsAppSink.ts';
import { oweTo } from '../../core/tickets/outbox.ts';
import { describeStorageContract } from '../helpers/storageBackends.ts';

/**
 * Agents' WhatsApp replies are a third queue beside the webhooks and the
 * mails (no schema change: migration 0008's `queue` column is free text),
 * owed in the ticket change's own write, in both adapters.
 */
describeStorageContract('the WhatsApp reply queue', (pair) => {
  it('holds the reply a ticket change owes, apart from the webhooks and the mails, for every instance', async () => {
    const { a, b } = pair();
    const sink = new WhatsAppSink({
      graph: new GraphClient({ graphUrl: 'http://127.0.0.1:9/v21.0', token: 'unused-token', phoneNumberId: '123456' }),
      channelState: a.channelState,
      queue: a.whatsapp,
      config: { maxAttempts: 3, backoffMs: 10, timeoutMs: 1000 },
    });
    const t = await a.tickets.create({
      channel: 'whatsapp',
      lang: 'es',
      email: '',
      userId: '34600555666',
      subject: 'Pantalla rota',
      reason: 'user',
      transcript: [],
      shown: [],
    });
    const message = { id: 'm1', from: 'agent' as const, text: 'Ya va.', internal: false, at: new Date().toISOString() };
    await a.tickets.update(
      t.id,
      (x) => void x.messages.push(message),
      oweTo([sink], { event: 'ticket.message', detail: { message } }),
    );
    const queued = await b.whatsapp.all();
    expect(queued.map((d) => [d.event, d.payload.to, d.payload.ticketId])).to.deep.equal([
      ['whatsapp.reply', '34600555666', t.id],
    ]);
    expect(await b.mail.all()).to.deep.equal([]);
    expect(await b.deliveries.all()).to.deep.equal([]);
    expect((await b.whatsapp.claim('w', { limit: 10, leaseMs: 60_000 })).map((d) => d.id)).to.deep.equal([
      queued[0]!.id,
    ]);
  });
});
