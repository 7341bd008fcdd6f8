import { expect } from 'chai';
import type { Activity } from 'botbuilder';
import { eventually } from '../helpers/eventually.ts';
import { postJson, startTestServer, type TestServer } from '../helpers/server.ts';
import { activity, startFakeConnector } from './fakeChannel.ts';
import { captureLogs } from './logs.ts';

const AGENT = 'agent-key-0123456789';
const cardText = (a: Partial<Activity> | undefined) =>
  JSON.stringify((a?.attachments ?? []).map((x) => x.content?.body ?? []));

/**
 * An agent's public reply reaches the person who opened the ticket in a chat,
 * through the real CloudAdapter (continueConversationAsync) posting to the
 * channel's connector (a fake one on 127.0.0.1; Emulator mode, no app id).
 */
describe('Bot: an agent’s reply reaches the chat user first (proactive message)', function () {
  this.timeout(60_000);
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ env: { DEFLECT_API_KEYS: `agent=${AGENT}` } });
  });
  after(() => s?.close());

  const agentReply = async (id: string, body: Record<string, unknown>) => {
    const r = await postJson(`${s.url}/api/tickets/${id}/messages`, body, { Authorization: `Bearer ${AGENT}` });
    expect(r.status, JSON.stringify(r.body)).to.equal(201);
  };

  /** Opens a ticket in a conversation with the connector at `serviceUrl`; returns its id. */
  async function openInChat(serviceUrl: string, conversation: string, locale: string, words: string[]) {
    let last: Partial<Activity> | undefined;
    for (const text of words) {
      const expectReplies = !serviceUrl.startsWith('http://127.0.0.1');
      const res = await postJson(
        `${s.url}/api/messages`,
        activity({
          serviceUrl,
          conversation: { id: conversation },
          from: { id: `user-${conversation}`, name: 'Ana García' },
          locale,
          text,
          ...(expectReplies ? { deliveryMode: 'expectReplies' } : {}),
        }),
      );
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      last = res.body?.activities?.at(-1);
    }
    return last;
  }

  it('posts the reply as a card with a reply box into the conversation the ticket came from; internal notes never', async () => {
    const connector = await startFakeConnector();
    try {
      await openInChat(connector.url, 'proactive-en', 'en-US', ['agent', 'Printer jams', 'ana@example.com', 'yes']);
      const id = /T-\d{6}/.exec(String(connector.replies().at(-1)?.text))![0];
      const before = connector.replies().length;

      await agentReply(id, { text: 'SECRET note for agents', internal: true });
      await agentReply(id, { text: 'Which printer is it?', author: 'Luis' });
      const sent = await eventually(
        () =>
          connector
            .replies()
            .slice(before)
            .find((r) => r.attachments?.length),
        {
          what: 'the agent reply at the connector',
        },
      );
      expect(sent.text).to.equal(`New reply on your request ${id}`);
      expect(sent.conversation).to.deep.include({ id: 'proactive-en' });
      expect(cardText(sent)).to.contain('Which printer is it?').and.contain('Support · Luis').and.contain(id);
      expect(sent.attachments![0]!.content.actions[0]).to.include({ type: 'Action.ShowCard', title: 'Reply' });
      const posts = connector.received.filter((r) => r.method === 'POST').slice(before);
      expect(posts).to.have.length(1);
      expect(posts[0]!.path).to.match(/^\/v3\/conversations\/proactive-en\/activities/);
      expect(JSON.stringify(connector.received)).to.not.contain('SECRET');
    } finally {
      await connector.close();
    }
  });

  it('speaks the ticket’s language', async () => {
    const connector = await startFakeConnector();
    try {
      await openInChat(connector.url, 'proactive-es', 'es-ES', [
        'agente',
        'La impresora se atasca',
        'ana@example.com',
        'sí',
      ]);
      const id = /T-\d{6}/.exec(String(connector.replies().at(-1)?.text))![0];
      expect((await s.core.tickets.get(id)).lang).to.equal('es');
      await agentReply(id, { text: '¿Qué impresora es?' });
      const sent = await eventually(() => connector.replies().find((r) => r.attachments?.length));
      expect(sent.text).to.equal(`Nueva respuesta en tu solicitud ${id}`);
      expect(cardText(sent)).to.contain('Esperando tu respuesta').and.contain('Soporte');
    } finally {
      await connector.close();
    }
  });

  it('without an app id, never writes first to a connector that is not on this machine', async () => {
    const last = await openInChat('https://connector.example.com/', 'proactive-remote', 'en-US', [
      'agent',
      'Mouse broken',
      'ana@example.com',
      'yes',
    ]);
    const id = /T-\d{6}/.exec(String(last?.text))![0];
    const { logs } = await captureLogs(() => agentReply(id, { text: 'On it' }));
    expect(logs.map((l) => l.msg ?? l.message)).to.satisfy((m: string[]) =>
      m.some((x) => /agent reply not sent to the chat/.test(String(x))),
    );
    expect((await s.core.tickets.get(id)).messages.at(-1)).to.include({ from: 'agent', text: 'On it' });
  });
});
