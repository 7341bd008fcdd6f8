import { expect } from 'chai';
import { chat, openCore, said } from './chat.ts';

/** "My tickets" is part of the conversation the bot shares with WhatsApp (core/commands/converse.ts). */
describe('Bot: my tickets', function () {
  this.timeout(60_000);
  let h: Awaited<ReturnType<typeof openCore>>;
  before(async () => {
    h = await openCore();
  });
  after(async () => {
    await h?.close();
  });
  const luis = { id: '29:luis', name: 'Luis Pérez', aadObjectId: '8f0c1d2e-0000-4000-8000-00000000beef' };

  it('lists a verified Teams user’s tickets with what their status means, in the language asked', async () => {
    const c = chat(h.core, { channelId: 'msteams', from: luis, authenticated: true });
    const [empty] = await c.say('my tickets');
    expect(said(empty)).to.match(/^You have no requests with us yet/);
    await c.say('agent');
    await c.say('The projector in room 4 shows no image');
    await c.say('luis@example.com');
    const [opened] = await c.say('Open the ticket');
    const id = /(T-\d+)/.exec(said(opened))![1]!;
    await h.core.tickets.update(id, (t) => void (t.status = 'pending'));
    const [list] = await c.say('mis solicitudes');
    expect(said(list)).to.equal(
      `Tus solicitudes:\n• ${id} — The projector in room 4 shows no image\n   Esperando tu respuesta`,
    );
  });

  it('is a question like any other for a user the channel does not vouch for (Emulator)', async () => {
    const c = chat(h.core);
    const [reply] = await c.say('my tickets');
    expect(said(reply)).to.not.match(/requests/);
  });
});
