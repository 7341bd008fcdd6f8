import { expect } from 'chai';
import { conversationIdOf } from '../../whatsapp/whatsAppChannel.ts';
import { buttonTitles, PUBLIC_URL, rowsOf, startWhatsApp, textOf, type WhatsAppHarness } from './harness.ts';
import { PHONE_NUMBER_ID } from './payloads.ts';

/** Each spec writes from its own number, so conversations do not mix. */
let numbers = 34600100000;
const newNumber = () => String(++numbers);

describe('WhatsApp conversation (the bot’s conversation, through the Graph API)', function () {
  this.timeout(60_000);
  let wa: WhatsAppHarness;
  before(async () => {
    wa = await startWhatsApp({
      decisions: {
        'How do I reset my password?': { action: 'answer', ranked: [['reset-password-en', 1]] },
        '¿Cómo restablezco mi contraseña?': { action: 'answer', ranked: [['reset-password', 1]] },
        'vpn problem': {
          action: 'clarify',
          ranked: [
            ['vpn-setup-en', 0.5],
            ['vpn-not-connecting-en', 0.45],
            ['new-hire-accounts-en', 0.4],
          ],
        },
        'problema con el vpn': {
          action: 'clarify',
          ranked: [
            ['configurar-vpn', 0.5],
            ['vpn-no-conecta', 0.45],
          ],
        },
        'my printer is on fire': { action: 'ticket', ranked: [] },
        'mi impresora echa humo': { action: 'ticket', ranked: [] },
      },
    });
  });
  after(async () => {
    await wa?.close();
  });
  const conversation = (from: string) => wa.h.core.conversations.get(conversationIdOf(PHONE_NUMBER_ID, from));

  describe('a question with an answer', () => {
    it('sends the canned answer with its link, then "Did this help?" as reply buttons (en)', async () => {
      const from = newNumber();
      const [answer, help, ...rest] = await wa.say(from, { text: 'How do I reset my password?' }, { expect: 2 });
      expect(rest).to.deep.equal([]);
      expect(answer).to.include({ messaging_product: 'whatsapp', to: from, type: 'text' });
      expect(textOf(answer)).to.match(/^\*Reset your password\*\n\n\S/);
      expect(textOf(answer)).to.match(new RegExp(`${PUBLIC_URL}/articles/reset-password-en$`));
      expect(help?.type).to.equal('interactive');
      expect(help?.interactive.type).to.equal('button');
      expect(textOf(help)).to.equal('Did this help?');
      expect(buttonTitles(help)).to.deep.equal(['Yes, solved', 'No']);
    });

    it('answers in Spanish with "¿Te ha servido?", and "Sí, resuelto" records the answer as helpful', async () => {
      const from = newNumber();
      const [answer, help] = await wa.say(from, { text: '¿Cómo restablezco mi contraseña?' }, { expect: 2 });
      expect(textOf(answer)).to.match(/^\*Restablecer la contraseña\*/);
      expect(textOf(help)).to.equal('¿Te ha servido?');
      expect(buttonTitles(help)).to.deep.equal(['Sí, resuelto', 'No']);
      const yes = help!.interactive.action.buttons[0].reply;
      const [thanks] = await wa.say(from, { buttonReply: yes });
      expect(textOf(thanks)).to.equal('¡Me alegro de haberte ayudado!');
      const c = await conversation(from);
      expect(c?.channel).to.equal('whatsapp');
      expect(c?.shown.find((s) => s.articleId === 'reset-password')?.helpful).to.equal(true);
    });

    it('"No" on an answer with nothing else to offer proposes a person, with buttons that fit WhatsApp', async () => {
      const from = newNumber();
      const [, help] = await wa.say(from, { text: 'How do I reset my password?' }, { expect: 2 });
      const [offer] = await wa.say(from, { buttonReply: help!.interactive.action.buttons[1].reply });
      expect(textOf(offer)).to.match(/open a ticket/);
      expect(buttonTitles(offer)).to.deep.equal(['Talk to a person', 'No, thanks']);
      for (const title of buttonTitles(offer)) expect([...title].length).to.be.at.most(20);
    });
  });

  describe('clarify', () => {
    it('offers the articles as a list message within WhatsApp’s limits, and a picked row is answered (en)', async () => {
      const from = newNumber();
      const [list, ...rest] = await wa.say(from, { text: 'vpn problem' });
      expect(rest).to.deep.equal([]);
      expect(list?.interactive.type).to.equal('list');
      expect(textOf(list)).to.equal('I found a few articles. Which one is closest to your question?');
      const rows = rowsOf(list);
      expect(rows.map((r) => r.id)).to.deep.equal([
        'article:vpn-setup-en',
        'article:vpn-not-connecting-en',
        'article:new-hire-accounts-en',
        'None of these',
      ]);
      expect(rows.length).to.be.at.most(10);
      for (const r of rows) expect([...r.title].length).to.be.at.most(24);
      // A title too long for a row is shortened, and given whole (within 72) as the row's description.
      expect(rows[2]!.title).to.match(/…$/);
      expect(rows[2]!.description).to.equal('Create accounts for a new hire (IT staff)');
      expect([...list!.interactive.action.button].length).to.be.at.most(20);

      const [answer, help] = await wa.say(
        from,
        { listReply: { id: rows[1]!.id, title: rows[1]!.title } },
        { expect: 2 },
      );
      expect(textOf(answer)).to.match(/^\*VPN not connecting\*/);
      expect(textOf(help)).to.equal('Did this help?');
    });

    it('clarifies in Spanish; "Ninguno de estos" offers a person', async () => {
      const from = newNumber();
      const [list] = await wa.say(from, { text: 'problema con el vpn' });
      expect(textOf(list)).to.equal('He encontrado varios artículos. ¿Cuál se parece más a tu pregunta?');
      expect(list!.interactive.action.button).to.equal('Ver artículos');
      const rows = rowsOf(list);
      expect(rows.map((r) => r.title)).to.deep.equal(['Configurar el VPN', 'El VPN no conecta', 'Ninguno de estos']);
      const [offer] = await wa.say(from, { listReply: { id: rows[2]!.id, title: rows[2]!.title } });
      expect(textOf(offer)).to.match(/abra una solicitud/);
      expect(buttonTitles(offer)).to.deep.equal(['Hablar con persona', 'No, gracias']);
    });
  });

  describe('talk to a person', () => {
    it('"talk to a person" opens a WhatsApp ticket on the phone number without asking for an e-mail (en)', async () => {
      const from = newNumber();
      await wa.say(from, { text: 'my printer is on fire' });
      const [confirm] = await wa.say(from, { text: 'talk to a person' });
      expect(textOf(confirm)).to.match(/^I'll open a ticket for Ana Pérez .* we'll reply here\. Shall I go ahead\?$/);
      expect(buttonTitles(confirm)).to.deep.equal(['Open the ticket', 'Cancel']);
      const [done] = await wa.say(from, { buttonReply: confirm!.interactive.action.buttons[0].reply });
      const id = /ticket (T-\d+)/.exec(textOf(done))?.[1];
      expect(textOf(done)).to.equal(`I've opened ticket ${id}. We'll reply here.`);
      const ticket = await wa.h.core.tickets.get(id!);
      expect(ticket).to.include({
        channel: 'whatsapp',
        userId: from,
        verifiedUserId: from,
        name: 'Ana Pérez',
        subject: 'my printer is on fire',
        reason: 'no_answer',
        email: '',
      });
      expect(ticket.transcript.length).to.be.greaterThan(0);
    });

    it('"hablar con una persona" before any question asks for a description, in Spanish', async () => {
      const from = newNumber();
      const [describe] = await wa.say(from, { text: 'hablar con una persona' });
      expect(textOf(describe)).to.match(/^Claro\. Describe el problema/);
      const [confirm] = await wa.say(from, { text: 'La impresora de la 3ª planta no imprime' });
      expect(textOf(confirm)).to.match(/te responderemos por aquí\. ¿Continúo\?$/);
      const [done] = await wa.say(from, { buttonReply: confirm!.interactive.action.buttons[0].reply });
      expect(textOf(done)).to.match(/^He abierto la solicitud T-\d+\. Te responderemos por aquí\.$/);
    });
  });

  describe('my tickets', () => {
    it('"mis solicitudes" lists the person’s tickets with what their status means, and nobody else’s', async () => {
      const from = newNumber();
      await wa.say(from, { text: 'mi impresora echa humo' });
      const [confirm] = await wa.say(from, { text: 'hablar con una persona' });
      const [done] = await wa.say(from, { buttonReply: confirm!.interactive.action.buttons[0].reply });
      const id = /(T-\d+)/.exec(textOf(done))![1]!;
      const [list] = await wa.say(from, { text: 'Mis solicitudes' });
      expect(textOf(list)).to.equal(
        `Tus solicitudes, de la más reciente a la más antigua:\n• ${id} — mi impresora echa humo\n   Recibida: la estamos revisando`,
      );
      const [en] = await wa.say(from, { text: 'my tickets' });
      expect(textOf(en)).to.equal(
        `Your requests, newest first:\n• ${id} — mi impresora echa humo\n   Received: we're looking into it`,
      );
      const [none] = await wa.say(newNumber(), { text: 'my tickets' });
      expect(textOf(none)).to.match(/^You have no requests yet/);
    });
  });

  it('asks for text when sent an image', async () => {
    const [reply] = await wa.say(newNumber(), { image: true });
    expect(textOf(reply)).to.equal('Please type your question as text.');
  });

  // Last: it counts what the specs above said.
  describe('reports', () => {
    it('appears as the whatsapp channel in the deflection report', async () => {
      const report = await wa.h.core.reports.deflection({}, 'channel');
      const row = report.rows.find((r) => r.key === 'whatsapp');
      expect(row, JSON.stringify(report.rows.map((r) => r.key))).to.not.equal(undefined);
      expect(row!.questions).to.be.greaterThan(0);
      expect(row!.tickets).to.be.greaterThan(0);
    });
  });
});
