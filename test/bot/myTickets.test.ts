import { expect } from 'chai';
import type { Activity } from 'botbuilder';
import { eraseUser } from '../../core/commands/eraseUser.ts';
import { openTicket } from '../../core/commands/openTicket.ts';
import { replyToTicket } from '../../core/commands/replyToTicket.ts';
import { updateTicket } from '../../core/commands/updateTicket.ts';
import { chat, openCore } from './chat.ts';

type Action = { type: string; title: string; data?: Record<string, unknown>; card?: Card };
type Card = { body: { type?: string; id?: string; text: string }[]; actions: Action[] };
const cardsOf = (a: Partial<Activity> | undefined) =>
  (a?.attachments ?? []).map((x) => {
    expect(x.contentType).to.equal('application/vnd.microsoft.card.adaptive');
    return x.content as Card;
  });
const textOf = (card: Card) => card.body.map((b) => b.text).join('\n');
/** The data the card's reply box posts back, as Teams sends it: the activity's value, with the typed text. */
const submitOf = (card: Card, reply: string) => {
  const show = card.actions.find((a) => a.type === 'Action.ShowCard')!;
  const submit = show.card!.actions.find((a) => a.type === 'Action.Submit')!;
  expect(show.card!.body[0]).to.include({ type: 'Input.Text', id: 'reply' });
  return { type: 'message', value: { ...submit.data, reply } } as Partial<Activity>;
};

describe('Bot: "my tickets" / "mis solicitudes" as cards, and answering on them', function () {
  this.timeout(60_000);
  let h: Awaited<ReturnType<typeof openCore>>;
  before(async () => {
    h = await openCore();
  });
  after(async () => {
    await h?.close();
  });

  /** Opens a ticket through the bot's flow; returns its id. */
  async function openThroughBot(c: ReturnType<typeof chat>, description: string): Promise<string> {
    await c.say('agent');
    await c.say(description);
    await c.say('ana@example.com');
    const [done] = await c.say('yes');
    return /T-\d{6}/.exec(String(done?.text))![0];
  }

  it('with no tickets says so, in the language the command was typed in', async () => {
    const c = chat(h.core, { from: { id: 'nobody-1', name: 'Nadie' } });
    expect((await c.say('my tickets'))[0]?.text).to.match(/^You have no requests yet/);
    expect((await c.say('Mis solicitudes'))[0]?.text).to.match(/^Todavía no tienes solicitudes/);
  });

  it('lists the tickets opened in the chat as Adaptive Cards: subject, status in words, last message, a reply box', async () => {
    const c = chat(h.core, { from: { id: 'ana-1', name: 'Ana García' } });
    const first = await openThroughBot(c, 'The printer on floor 2 jams');
    const second = await openThroughBot(c, 'I need a second monitor');
    await replyToTicket(h.core, { id: first, text: 'Which printer model?', author: 'Luis' });
    await replyToTicket(h.core, { id: first, text: 'SECRET internal note', internal: true, author: 'Luis' });

    const [reply, ...rest] = await c.say('my tickets');
    expect(rest).to.deep.equal([]);
    expect(reply?.text).to.equal('Your requests, newest first:');
    const cards = cardsOf(reply);
    expect(cards).to.have.length(2);
    expect(textOf(cards[0]!)).to.contain(second).and.contain("Received: we're looking into it");
    expect(textOf(cards[1]!))
      .to.contain(first)
      .and.contain('Waiting for your reply')
      .and.contain('Support · Luis')
      .and.contain('Which printer model?')
      .and.not.contain('SECRET');
    expect(cards[1]!.actions[0]).to.include({ type: 'Action.ShowCard', title: 'Reply' });

    const [es] = await c.say('mis solicitudes');
    expect(textOf(cardsOf(es)[1]!))
      .to.contain('Esperando tu respuesta')
      .and.contain('Soporte · Luis');
    expect(cardsOf(es)[1]!.actions[0]!.title).to.equal('Responder');
  });

  it('the reply box adds the message to the ticket (pending → open); empty text is asked again', async () => {
    const c = chat(h.core, { from: { id: 'ana-2', name: 'Ana García' } });
    const id = await openThroughBot(c, 'VPN drops every hour');
    await replyToTicket(h.core, { id, text: 'Since when?', author: 'Luis' });
    const [list] = await c.say('my tickets');
    const card = cardsOf(list)[0]!;
    expect((await c.say(submitOf(card, '  ')))[0]?.text).to.equal(
      'Please type your reply in the box before sending it.',
    );
    const [sent] = await c.say(submitOf(card, 'Since Monday'));
    expect(sent?.text).to.equal(`Your reply was added to request ${id}. Status: Received: we're looking into it.`);
    const t = await h.core.tickets.get(id);
    expect(t.status).to.equal('open');
    expect(t.messages.at(-1)).to.include({ from: 'customer', text: 'Since Monday' });
  });

  it('another person can neither list nor answer someone else’s ticket', async () => {
    const ana = chat(h.core, { from: { id: 'ana-3', name: 'Ana García' } });
    const id = await openThroughBot(ana, 'Laptop battery swollen');
    const [card] = cardsOf((await ana.say('my tickets'))[0]);
    const eve = chat(h.core, { from: { id: 'eve-3', name: 'Eve' } });
    expect((await eve.say('my tickets'))[0]?.text).to.match(/^You have no requests yet/);
    expect((await eve.say(submitOf(card!, 'hijack')))[0]?.text).to.equal("I couldn't find that request among yours.");
    expect((await h.core.tickets.get(id)).messages.map((m) => m.text)).to.not.include('hijack');
  });

  it('a verified Teams user also sees the tickets of their identity opened elsewhere; an unverified one does not', async () => {
    const from = { id: '29:marta', name: 'Marta Ruiz', aadObjectId: 'aad-marta-0001' };
    const elsewhere = await openTicket(h.core, {
      channel: 'widget',
      email: 'marta@example.com',
      subject: 'Badge does not open door 3',
      asker: { id: from.aadObjectId, verified: true },
    });
    const teams = chat(h.core, { channelId: 'msteams', from, authenticated: true });
    const [list] = await teams.say('my tickets');
    expect(cardsOf(list).map(textOf).join('\n')).to.contain(elsewhere.id).and.contain('Badge does not open door 3');
    const [sent] = await teams.say(submitOf(cardsOf(list)[0]!, 'Still broken'));
    expect(sent?.text).to.match(new RegExp(`^Your reply was added to request ${elsewhere.id}`));
    const unverified = chat(h.core, { channelId: 'msteams', from, authenticated: false });
    expect((await unverified.say('my tickets'))[0]?.text).to.match(/^You have no requests yet/);
  });

  it('answering on a closed ticket opens a follow-up, which the chat then lists', async () => {
    const c = chat(h.core, { from: { id: 'ana-4', name: 'Ana García' } });
    const id = await openThroughBot(c, 'Cannot log in to payroll');
    await updateTicket(h.core, { id, change: { status: 'closed' }, author: 'agent' });
    const [card] = cardsOf((await c.say('my tickets'))[0]);
    const [sent] = await c.say(submitOf(card!, 'It happens again'));
    const next = /T-\d{6}/.exec(String(sent?.text))![0];
    expect(next).to.not.equal(id);
    expect(sent?.text).to.equal(`That request was closed, so I opened request ${next} with your message.`);
    expect((await h.core.tickets.get(next)).followUpOf).to.equal(id);
    const cards = cardsOf((await c.say('my tickets'))[0]);
    expect(textOf(cards[0]!)).to.contain(next).and.contain('It happens again');
  });

  it('an erasure request drops what the chat kept to follow the person’s tickets', async () => {
    const c = chat(h.core, { from: { id: 'erin-6', name: 'Erin Smith' } });
    await c.say('agent');
    await c.say('Forget me please');
    await c.say('erin@example.com');
    await c.say('yes');
    expect(cardsOf((await c.say('my tickets'))[0])).to.have.length(1);
    const erased = await eraseUser(h.core, { email: 'erin@example.com' });
    expect(erased.counts.channelStates).to.be.at.least(2);
    expect((await c.say('my tickets'))[0]?.text).to.match(/^You have no requests yet/);
    const state = await h.core.channelState();
    expect(JSON.stringify(await state.get('deflect-tickets/emulator/erin-6'))).to.equal(undefined);
  });

  it('"my tickets" in the middle of opening a ticket leaves that ticket half-made, to be finished after', async () => {
    const c = chat(h.core, { from: { id: 'ana-5', name: 'Ana García' } });
    await c.say('agent');
    await c.say('Keyboard missing keys');
    await c.say('my tickets');
    const [confirm] = await c.say('ana@example.com');
    expect(confirm?.text).to.match(/^I'll open a ticket for Ana García/);
  });
});
