import { expect } from 'chai';
import { activity } from '../bot/fakeChannel.ts';
import { identityHash } from '../../core/identity/verifyUser.ts';
import { getJson, postJson, startTestServer, type TestServer } from '../helpers/server.ts';
import { rateLimits } from '../../server/rateLimits.ts';

const SECRET = 'test-identity-secret-0123456789';

describe('widget identity verification', function () {
  this.timeout(60_000);

  describe('when a secret is configured but not required', () => {
    let s: TestServer;
    before(async () => (s = await startTestServer({ env: { IDENTITY_SECRET: SECRET } })));
    after(async () => s.close());
    const staff = { id: 'u-42', email: 'staff@northwind.example', hash: identityHash(SECRET, 'u-42') };

    it('shows internal articles to a verified user only', async () => {
      const question = 'how do I wipe a lost laptop remotely?';
      const anon = await postJson(`${s.url}/api/ask`, { question });
      expect([
        anon.body.answer?.articleId,
        ...anon.body.suggestions.map((x: { articleId: string }) => x.articleId),
      ]).to.not.include('wipe-device-en');
      const forged = await postJson(`${s.url}/api/ask`, {
        question,
        user: { ...staff, hash: identityHash('wrong-secret-wrong-secret', 'u-42') },
      });
      expect([
        forged.body.answer?.articleId,
        ...forged.body.suggestions.map((x: { articleId: string }) => x.articleId),
      ]).to.not.include('wipe-device-en');
      const verified = await postJson(`${s.url}/api/ask`, { question, user: staff });
      expect(verified.body.answer?.articleId).to.equal('wipe-device-en');
    });

    it("keeps a verified user's conversation theirs: others get 403 on ask, feedback and tickets", async () => {
      const mine = await postJson(`${s.url}/api/ask`, { question: 'how do I set up the VPN?', user: staff });
      const cid = mine.body.conversationId;
      const other = { id: 'u-7', hash: identityHash(SECRET, 'u-7') };
      for (const [route, body] of [
        ['/api/ask', { question: 'show me', conversationId: cid }],
        ['/api/ask', { question: 'show me', conversationId: cid, user: other }],
        ['/api/feedback', { conversationId: cid, articleId: 'vpn-setup-en', helpful: true }],
        ['/api/tickets', { conversationId: cid, email: 'thief@example.com' }],
      ] as const) {
        const r = await postJson(`${s.url}${route}`, body);
        expect(r.status, route).to.equal(403);
        expect(r.body.error.code).to.equal('forbidden');
      }
      const ok = await postJson(`${s.url}/api/tickets`, { conversationId: cid, email: staff.email, user: staff });
      expect(ok.status).to.equal(201);
      expect((await s.deps.tickets.get(ok.body.id)).userId).to.equal('u-42');
    });
  });

  describe('when verification is required', () => {
    let s: TestServer;
    before(async () => (s = await startTestServer({ env: { IDENTITY_SECRET: SECRET, IDENTITY_REQUIRED: 'true' } })));
    after(async () => s.close());

    it('refuses a user with a missing or wrong hash, and accepts the right one', async () => {
      expect((await postJson(`${s.url}/api/ask`, { question: 'vpn', user: { id: 'u-1' } })).body.error.code).to.equal(
        'identity_invalid',
      );
      const wrong = await postJson(`${s.url}/api/ask`, { question: 'vpn', user: { id: 'u-1', hash: 'ab'.repeat(32) } });
      expect(wrong.status).to.equal(401);
      expect(
        (
          await postJson(`${s.url}/api/ask`, {
            question: 'vpn',
            user: { id: 'u-1', hash: identityHash(SECRET, 'u-1') },
          })
        ).status,
      ).to.equal(200);
    });
  });
});

describe('rate limits', function () {
  this.timeout(60_000);
  let s: TestServer;
  before(
    async () =>
      (s = await startTestServer({
        env: {
          RATE_LIMIT_ASK_PER_MINUTE: '5',
          RATE_LIMIT_CONVERSATION_PER_MINUTE: '3',
          RATE_LIMIT_TICKETS_PER_HOUR: '2',
        },
      })),
  );
  after(async () => s.close());

  it('are made without formatting a stack trace (under --enable-source-maps that keeps the source map)', () => {
    const formatted: unknown[] = [];
    const before = Error.prepareStackTrace;
    Error.prepareStackTrace = (error, frames) => (
      formatted.push(error),
      `${error}\n    at ${frames.join('\n    at ')}`
    );
    try {
      const limits = rateLimits({ askPerMinute: 5, conversationPerMinute: 3, ticketsPerHour: 2 });
      limits.bot(false);
      limits.bot(true);
    } finally {
      Error.prepareStackTrace = before;
    }
    expect(formatted).to.deep.equal([]);
  });

  it('limits questions per conversation and per client with 429 and Retry-After', async () => {
    const first = await postJson(`${s.url}/api/ask`, { question: 'vpn' });
    const cid = first.body.conversationId;
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++)
      statuses.push((await postJson(`${s.url}/api/ask`, { question: 'vpn', conversationId: cid })).status);
    expect(statuses).to.deep.equal([200, 200, 200]);
    const limited = await postJson(`${s.url}/api/ask`, { question: 'vpn', conversationId: cid });
    expect(limited.status).to.equal(429);
    expect(limited.body.error.code).to.equal('rate_limited');
    expect(Number(limited.headers.get('retry-after'))).to.be.within(1, 60);
    // The client's own budget (5 a minute) is spent too now.
    expect((await postJson(`${s.url}/api/ask`, { question: 'vpn' })).status).to.equal(429);
    // Reading stays open.
    expect((await getJson(`${s.url}/healthz`)).status).to.equal(200);
  });

  it('limits bot activities per person and conversation, and per client while the bot is unauthenticated', async () => {
    const say = (conversation: string, from = 'user-1') =>
      postJson(
        `${s.url}/api/messages`,
        activity({
          deliveryMode: 'expectReplies',
          conversation: { id: conversation },
          from: { id: from, name: 'Ana' },
          text: 'vpn',
        }),
      );
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await say('rl-bot-1')).status);
    expect(statuses).to.deep.equal([200, 200, 200, 429]);
    // Another person in the same (group) conversation has a budget of their own, until the client's runs out (5 a minute).
    expect((await say('rl-bot-1', 'user-2')).status).to.equal(200);
    const limited = await say('rl-bot-2');
    expect(limited.status).to.equal(429);
    expect(limited.headers.get('retry-after')).to.match(/^\d+$/);
  });

  it('limits tickets per client', async () => {
    expect((await postJson(`${s.url}/api/tickets`, { email: 'a@example.com' })).status).to.equal(201);
    expect((await postJson(`${s.url}/api/tickets`, { email: 'a@example.com' })).status).to.equal(201);
    expect((await postJson(`${s.url}/api/tickets`, { email: 'a@example.com' })).status).to.equal(429);
  });
});
