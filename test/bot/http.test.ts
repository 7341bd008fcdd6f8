import { expect } from 'chai';
import type { Activity, HeroCard } from 'botbuilder';
import { createBotEndpoint } from '../../bot/botEndpoint.ts';
import { conversationIdOf } from '../../bot/channel.ts';
import { captureLogs } from './logs.ts';
import { postJson, startTestServer, type TestServer } from '../helpers/server.ts';
import { activity, startFakeConnector } from './fakeChannel.ts';

const hero = (a: Partial<Activity> | undefined) => a?.attachments?.[0]?.content as HeroCard | undefined;
const quickReplies = (a: Partial<Activity> | undefined) => a?.suggestedActions?.actions.map((x) => x.title) ?? [];

describe('Bot over HTTP (POST /api/messages, Emulator mode)', function () {
  this.timeout(60_000);
  let s: TestServer;
  before(async () => {
    s = await startTestServer();
  });
  after(async () => {
    await s?.close();
  });

  /** Post an activity with deliveryMode expectReplies; the replies come back in the body. */
  async function exchange(fields: Record<string, unknown>): Promise<Partial<Activity>[]> {
    const res = await postJson(`${s.url}/api/messages`, activity({ deliveryMode: 'expectReplies', ...fields }));
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    return res.body.activities;
  }

  it('an activity posted with deliveryMode "expectReplies" gets the replies in the response body', async () => {
    const replies = await exchange({
      type: 'conversationUpdate',
      conversation: { id: 'http-welcome' },
      membersAdded: [{ id: 'bot-1' }],
    });
    expect(replies.map((r) => r.text)).to.have.length(1);
    expect(replies[0]?.text).to.match(/^Hi! I'm the help desk assistant/);
    expect(replies[0]).to.deep.include({
      conversation: { id: 'http-welcome' },
      recipient: { id: 'user-1', name: 'Ana García' },
    });
  });

  it('holds a whole conversation — question, answer, not helpful, ticket — and the ticket is stored with channel and transcript', async () => {
    const conversation = { id: 'http-whole-conversation' };
    const say = async (text: string) => (await exchange({ conversation, text }))[0];

    const answer = await say('How do I reset my password?');
    expect(hero(answer)?.title).to.equal('Reset your password');
    expect(hero(answer)?.buttons?.[0]?.value).to.equal(`${s.config.publicUrl}/articles/reset-password-en`);
    expect(quickReplies(answer)).to.deep.equal(['Yes, solved', 'No']);
    // After "No" the engine offers either other articles or a ticket, depending on the KB; both lead on to a person.
    const notHelpful = await say('No');
    expect(hero(notHelpful)?.buttons?.map((b) => b.title) ?? quickReplies(notHelpful)).to.include.oneOf([
      'None of these',
      'Talk to a person',
    ]);
    expect((await say('Talk to a person'))?.text).to.match(/What e-mail address should we reply to\?$/);
    expect((await say('ana@example.com'))?.text).to.match(/^I'll open a ticket for Ana García/);
    const done = await say('Open the ticket');

    const id = conversationIdOf({ channelId: 'emulator', conversation });
    const [ticket] = (await s.core.tickets.all()).filter((t) => t.conversationId === id);
    expect(done?.text).to.equal(`I've opened ticket ${ticket?.id}. We'll reply by e-mail.`);
    expect(ticket).to.include({
      channel: 'emulator',
      email: 'ana@example.com',
      name: 'Ana García',
      userId: 'user-1',
      reason: 'not_helpful',
    });
    expect(ticket!.transcript.map((t) => t.role)).to.deep.equal(['user', 'bot', 'user', 'bot']);
    expect(ticket!.transcript[0]!.text).to.equal('How do I reset my password?');
    expect(ticket!.transcript[1]!.text).to.match(/^Reset your password: /);
    expect(ticket!.transcript[2]!.text).to.equal('👎');
  });

  it("a normal activity gets its replies posted to the connector at the activity's serviceUrl", async () => {
    const connector = await startFakeConnector();
    try {
      const incoming = activity({
        serviceUrl: connector.url,
        conversation: { id: 'http-connector' },
        text: 'How do I reset my password?',
      });
      const res = await postJson(`${s.url}/api/messages`, incoming);
      expect(res.status).to.equal(200);
      expect(res.body).to.equal(null);
      const [post, ...more] = connector.received;
      expect(more).to.deep.equal([]);
      expect(post).to.include({ method: 'POST', path: `/v3/conversations/http-connector/activities/${incoming.id}` });
      expect(hero(post!.body)?.title).to.equal('Reset your password');
      expect(post!.body).to.deep.include({ replyToId: incoming.id, conversation: { id: 'http-connector' } });
    } finally {
      await connector.close();
    }
  });

  it('in Teams, takes the e-mail from the member list, asks only to confirm, and stores the ticket as msteams', async () => {
    const from = { id: '29:1teams-user', name: 'Luis Pérez', aadObjectId: '8f0c1d2e-0000-4000-8000-123456789abc' };
    const connector = await startFakeConnector({
      members: {
        [from.id]: {
          id: from.id,
          name: from.name,
          aadObjectId: from.aadObjectId,
          email: 'luis.perez@example.com',
          userPrincipalName: 'luis.perez@example.com',
        },
      },
    });
    const conversation = { id: 'a:1teams-conversation', conversationType: 'personal', tenantId: 'tenant-1' };
    const say = async (text: string) => {
      const before = connector.replies().length;
      const res = await postJson(
        `${s.url}/api/messages`,
        activity({ channelId: 'msteams', serviceUrl: connector.url, conversation, from, text }),
      );
      expect(res.status).to.equal(200);
      return connector.replies().slice(before);
    };
    try {
      await say('How do I reset my password?');
      await say('No');
      const [confirm] = await say('Talk to a person');
      expect(confirm?.text).to.equal(
        "I'll open a ticket for Luis Pérez (replies to luis.perez@example.com) with our conversation so far. Shall I go ahead?",
      );
      const [done] = await say('Open the ticket');
      expect(done?.text).to.match(/^I've opened ticket T-\d+/);
      const id = conversationIdOf({ channelId: 'msteams', conversation });
      const [ticket] = (await s.core.tickets.all()).filter((t) => t.conversationId === id);
      expect(ticket).to.include({
        channel: 'msteams',
        email: 'luis.perez@example.com',
        name: 'Luis Pérez',
        userId: from.aadObjectId,
      });
      expect(ticket!.transcript[0]).to.include({ role: 'user', text: 'How do I reset my password?' });
    } finally {
      await connector.close();
    }
  });

  it('accepts a Teams activity larger than the API body limit (MAX_BODY_BYTES)', async () => {
    const padding = 'x'.repeat(s.config.maxBodyBytes * 2);
    const replies = await exchange({
      conversation: { id: 'http-large' },
      text: 'How do I reset my password?',
      channelData: { padding },
    });
    expect(hero(replies[0])?.title).to.equal('Reset your password');
  });

  it('refuses an activity larger than BOT_MAX_BODY_BYTES with 413', async () => {
    const res = await postJson(
      `${s.url}/api/messages`,
      activity({ text: 'hi', channelData: { padding: 'x'.repeat(s.config.bot.maxBodyBytes + 1) } }),
    );
    expect(res.status).to.equal(413);
  });

  it('refuses an activity without the fields the bot needs with 400', async () => {
    const res = await postJson(`${s.url}/api/messages`, { type: 'message', text: 'hi' });
    expect(res.status).to.equal(400);
    expect(res.body.error.code).to.equal('invalid_request');
  });

  it('without an app id, warns once, on first use, that requests are not authenticated', async () => {
    // A second endpoint over the same core: the server's has already warned, this one has not.
    const endpoint = createBotEndpoint(s.core, s.config);
    const welcome = activity({
      type: 'conversationUpdate',
      deliveryMode: 'expectReplies',
      conversation: { id: 'http-warning' },
      membersAdded: [{ id: 'bot-1' }],
    });
    const { logs } = await captureLogs(async () => {
      await endpoint.handle({ activity: welcome });
      await endpoint.handle({ activity: { ...welcome, id: 'again' } });
    });
    const warnings = logs.filter((l) => l.category === 'bot' && l.level === 'warn');
    expect(warnings.map((w) => w.message)).to.deep.equal([
      'MICROSOFT_APP_ID is not set: /api/messages accepts unauthenticated requests (Bot Framework Emulator mode); set it to serve Teams or Web Chat',
    ]);
  });

  it('without an app id, refuses to post replies to a serviceUrl that is not on this machine', async () => {
    const conversation = { id: 'http-remote-service-url' };
    const res = await postJson(
      `${s.url}/api/messages`,
      activity({ serviceUrl: 'http://10.0.0.1:8080/', conversation, text: 'How do I reset my password?' }),
    );
    expect(res.status).to.equal(403);
    expect(res.body.error.code).to.equal('forbidden');
    expect(
      await s.core.conversations.get(conversationIdOf({ channelId: 'emulator', conversation })),
      'the bot did not run',
    ).to.equal(undefined);
  });
});
