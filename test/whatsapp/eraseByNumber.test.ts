import { expect } from 'chai';
import { replyToTicket } from '../../core/commands/replyToTicket.ts';
import { conversationKey } from '../../core/whatsapp/channelState.ts';
import { eventually } from '../helpers/eventually.ts';
import { startWhatsApp, textOf, type WhatsAppHarness } from './harness.ts';

/**
 * A person known only by their WhatsApp number has no e-mail address to name
 * them by: an erasure takes the number (the wa_id, as stored) and reaches
 * their events, tickets, conversation state and the replies not yet sent.
 */
describe('erasing a person known only on WhatsApp', function () {
  this.timeout(60_000);
  let wa: WhatsAppHarness;
  before(async () => {
    wa = await startWhatsApp({
      decisions: { 'my screen is cracked, call me on 34600444555': { action: 'ticket', ranked: [] } },
      // Long enough that a reply failed once is still waiting when the erasure comes.
      env: { WHATSAPP_BACKOFF_MS: '60000' },
    });
  });
  after(async () => {
    await wa?.close();
  });

  it('POST /api/admin/erase-user {phone} removes the number everywhere and drops the unsent reply', async () => {
    const from = '34600444555';
    const other = '34600444999';
    await wa.say(from, { text: 'my screen is cracked, call me on 34600444555' });
    const [confirm] = await wa.say(from, { text: 'agent' });
    const [done] = await wa.say(from, { buttonReply: confirm!.interactive.action.buttons[0].reply });
    const id = /(T-\d+)/.exec(textOf(done))![1]!;
    await wa.say(other, { text: 'hola' });
    wa.graph.failNext(500);
    await replyToTicket(wa.core, { id, text: 'We will call you.', author: 'maria' });
    await eventually(async () => (await wa.core.whatsapp!.all())[0]?.attempts === 1, { what: 'a failed attempt' });

    const res = await fetch(`${wa.url}/api/admin/erase-user`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ phone: `+${from}` }),
    });
    expect(res.status).to.equal(200);
    const { counts } = (await res.json()) as { counts: Record<string, number> };
    expect(counts).to.deep.include({ tickets: 1, deadLetters: 1 });
    expect(counts.events).to.be.greaterThan(0);

    const ticket = await wa.core.tickets.get(id);
    expect(ticket.userId).to.match(/^erased-/);
    expect(JSON.stringify(ticket)).to.not.include(from);
    expect(ticket.transcript.map((t) => t.text)).to.include('my screen is cracked, call me on [erased]');
    const events = [];
    for await (const e of wa.core.events.read()) events.push(e);
    expect(JSON.stringify(events)).to.not.include(from);
    expect(JSON.stringify(events), 'someone else is untouched').to.include(other);
    const state = await wa.core.channelState();
    expect(await state.get(conversationKey(from))).to.equal(undefined);
    expect(await state.get(conversationKey(other))).to.not.equal(undefined);
    expect(await wa.core.whatsapp!.all()).to.deep.equal([]);
  });

  it('refuses what is neither an address nor a number', async () => {
    const res = await fetch(`${wa.url}/api/admin/erase-user`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ phone: 'call me' }),
    });
    expect(res.status).to.equal(400);
  });
});
