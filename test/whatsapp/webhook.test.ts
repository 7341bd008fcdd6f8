import { expect } from 'chai';
import { eventually } from '../helpers/eventually.ts';
import { startTestServer } from '../helpers/server.ts';
import { captureLogs } from '../bot/logs.ts';
import { startWhatsApp, textOf, type WhatsAppHarness } from './harness.ts';
import { APP_SECRET, inbound, postWebhook, status, TOKEN, VERIFY_TOKEN } from './payloads.ts';

const verify = (url: string, params: Record<string, string>) =>
  fetch(`${url}/api/whatsapp?${new URLSearchParams(params).toString()}`);

describe('WhatsApp webhook (/api/whatsapp)', function () {
  this.timeout(60_000);
  let wa: WhatsAppHarness;
  before(async () => {
    wa = await startWhatsApp({
      decisions: { 'How do I reset my password?': { action: 'answer', ranked: [['reset-password-en', 1]] } },
    });
  });
  after(async () => {
    await wa?.close();
  });

  describe('verification (GET)', () => {
    it('echoes hub.challenge, as plain text, to a subscribe request with the verify token', async () => {
      const res = await verify(wa.url, {
        'hub.mode': 'subscribe',
        'hub.verify_token': VERIFY_TOKEN,
        'hub.challenge': '1158201444',
      });
      expect(res.status).to.equal(200);
      expect(res.headers.get('content-type')).to.match(/^text\/plain/);
      expect(await res.text()).to.equal('1158201444');
    });

    for (const [what, params] of [
      ['a wrong verify token', { 'hub.mode': 'subscribe', 'hub.verify_token': 'guess-guess', 'hub.challenge': '1' }],
      ['another mode', { 'hub.mode': 'unsubscribe', 'hub.verify_token': VERIFY_TOKEN, 'hub.challenge': '1' }],
      ['no token', { 'hub.mode': 'subscribe', 'hub.challenge': '1' }],
      [
        'a challenge that is not a token',
        { 'hub.mode': 'subscribe', 'hub.verify_token': VERIFY_TOKEN, 'hub.challenge': '<b>x</b>' },
      ],
    ] as const)
      it(`answers 403 to ${what}`, async () => {
        const res = await verify(wa.url, params);
        expect(res.status).to.equal(403);
        expect(((await res.json()) as { error: { code: string } }).error.code).to.equal('forbidden');
      });
  });

  describe('signature (POST)', () => {
    it('answers 401 to a body signed with another secret, or unsigned, and sends nothing', async () => {
      const from = '34600999001';
      const bad = await postWebhook(wa.url, inbound(from, { text: 'How do I reset my password?' }).body, {
        secret: 'not-the-app-secret',
      });
      expect(bad.status).to.equal(401);
      expect(((await bad.json()) as { error: { code: string } }).error.code).to.equal('unauthorized');
      const unsigned = await postWebhook(wa.url, inbound(from, { text: 'hello' }).body, { signature: '' });
      expect(unsigned.status).to.equal(401);
      // A good message afterwards is the only one answered.
      const replies = await wa.say(from, { text: 'How do I reset my password?' }, { expect: 2 });
      expect(textOf(replies[0])).to.match(/^\*Reset your password\*/);
      expect(wa.graph.to(from)).to.have.length(2);
    });

    it('checks the signature over the raw bytes: the same JSON re-serialised does not pass', async () => {
      const { body } = inbound('34600999002', { text: 'hello' });
      const raw = JSON.stringify(body);
      const { signBody } = await import('../../whatsapp/signature.ts');
      const res = await fetch(`${wa.url}/api/whatsapp`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-hub-signature-256': signBody(raw, APP_SECRET) },
        body: JSON.stringify(body, null, 2),
      });
      expect(res.status).to.equal(401);
    });
  });

  describe('deliveries', () => {
    it('a message delivered twice (same message id) is answered once', async () => {
      const from = '34600999003';
      const first = inbound(from, { text: 'How do I reset my password?' });
      expect((await postWebhook(wa.url, first.body)).status).to.equal(200);
      expect((await postWebhook(wa.url, first.body)).status).to.equal(200);
      // A person's messages are handled in order: once the next one is answered, the duplicate was seen.
      await wa.say(from, { image: true }, { expect: 3 });
      const texts = wa.graph.to(from).map(textOf);
      expect(texts).to.have.length(3);
      expect(texts[0]).to.match(/^\*Reset your password\*/);
      expect(texts.slice(1)).to.deep.equal(['Did this help?', 'Please type your question as text.']);
      const events = [];
      for await (const e of wa.h.core.events.read()) if (e.type === 'question' && e.user?.id === from) events.push(e);
      expect(events).to.have.length(1);
    });

    it('acknowledges delivery statuses and sends nothing for them', async () => {
      const before = wa.graph.requests.length;
      const res = await postWebhook(wa.url, status('34600999004'));
      expect(res.status).to.equal(200);
      const [reply] = await wa.say('34600999004', { image: true });
      expect(textOf(reply)).to.equal('Please type your question as text.');
      expect(wa.graph.requests.length).to.equal(before + 1);
    });

    it('logs a message WhatsApp could not deliver with its error, without the phone number', async () => {
      // The status is read before the handler returns (after the 200 is written), so it is logged by the time the POST resolves.
      const { logs } = await captureLogs(async () => {
        expect((await postWebhook(wa.url, status('34600999008', 'failed'))).status).to.equal(200);
      });
      const warning = logs.find((l) => l.message === 'message not delivered');
      expect(warning).to.include({ level: 'warn', category: 'whatsapp', code: 131047, title: 'Re-engagement message' });
      expect(JSON.stringify(logs)).to.not.include('34600999008');
    });

    it('replies through POST {graph}/{phone-number-id}/messages with the bearer token', async () => {
      await wa.say('34600999005', { image: true });
      const request = wa.graph.requests.at(-1)!;
      expect(request.method).to.equal('POST');
      expect(request.path).to.equal('/v21.0/106540352242922/messages');
      expect(request.authorization).to.equal(`Bearer ${TOKEN}`);
      expect(request.body).to.include({
        messaging_product: 'whatsapp',
        recipient_type: 'individual',
        to: '34600999005',
      });
    });

    it('retries a reply the Graph API refuses with 503 or 429, and never logs the token or the app secret', async () => {
      const from = '34600999006';
      wa.graph.failNext(503, 429);
      const { logs } = await captureLogs(async () => {
        await postWebhook(wa.url, inbound(from, { image: true }).body);
        await eventually(() => wa.graph.to(from).length === 3, { what: 'two failures and a success' });
      });
      expect(wa.graph.to(from).map(textOf)).to.deep.equal(Array(3).fill('Please type your question as text.'));
      const text = JSON.stringify(logs);
      expect(text).to.not.include(TOKEN);
      expect(text).to.not.include(APP_SECRET);
    });
  });

  it('is not there at all unless WhatsApp is configured', async () => {
    const plain = await startTestServer();
    try {
      expect((await verify(plain.url, { 'hub.mode': 'subscribe' })).status).to.equal(404);
      expect((await postWebhook(plain.url, status('34600999007'))).status).to.equal(404);
    } finally {
      await plain.close();
    }
  });
});
