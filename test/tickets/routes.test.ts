import { expect } from 'chai';
import { getJson, postJson, startTestServer, type TestServer } from '../helpers/server.ts';
import { isLocalRequest } from '../../server/auth.ts';

const KEYS = { agent: 'agent-key-0123456789', lead: 'lead-key-0123456789', admin: 'admin-key-0123456789' };
const bearer = (key: string) => ({ Authorization: `Bearer ${key}` });

async function patch(url: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method: 'PATCH',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json(), headers: res.headers };
}

describe('agent ticket routes and API keys', function () {
  this.timeout(60_000);
  let s: TestServer;
  let ticketId: string;

  before(async () => {
    s = await startTestServer({
      env: { DEFLECT_API_KEYS: `agent=${KEYS.agent},lead=${KEYS.lead},admin=${KEYS.admin}` },
    });
    const asked = await postJson(`${s.url}/api/ask`, { question: 'how do I set up the VPN?' });
    await postJson(`${s.url}/api/feedback`, {
      conversationId: asked.body.conversationId,
      articleId: asked.body.answer.articleId,
      helpful: false,
    });
    ticketId = (
      await postJson(`${s.url}/api/tickets`, {
        conversationId: asked.body.conversationId,
        email: 'ana@example.com',
        name: 'Ana',
      })
    ).body.id;
    await postJson(`${s.url}/api/tickets`, { email: 'bob@example.com', description: 'Need a monitor' });
  });
  after(() => s.close());

  const access = [
    { route: 'GET /api/tickets', agent: 200, lead: 200, admin: 200 },
    { route: 'GET /api/reports/deflection', agent: 403, lead: 200, admin: 200 },
    { route: 'GET /api/reports/articles', agent: 403, lead: 200, admin: 200 },
    { route: 'GET /api/reports/gaps', agent: 403, lead: 200, admin: 200 },
    { route: 'GET /api/reports/dashboard', agent: 403, lead: 200, admin: 200 },
    { route: 'POST /api/admin/erase-user', agent: 403, lead: 403, admin: 400 },
  ] as const;

  for (const a of access) {
    it(`${a.route}: agent ${a.agent}, lead ${a.lead}, admin ${a.admin}; no key or a wrong key 401`, async () => {
      const [method, path] = a.route.split(' ') as [string, string];
      const call = (headers: Record<string, string>) =>
        method === 'GET' ? getJson(`${s.url}${path}`, headers) : postJson(`${s.url}${path}`, {}, headers);
      for (const role of ['agent', 'lead', 'admin'] as const)
        expect((await call(bearer(KEYS[role]))).status, role).to.equal(a[role]);
      const none = await call({});
      expect(none.status).to.equal(401);
      expect(none.body.error.code).to.equal('unauthorized');
      expect(none.headers.get('www-authenticate')).to.contain('Bearer');
      expect((await call(bearer('not-a-key-0123456789'))).status).to.equal(401);
      expect((await call({ Authorization: `Basic ${KEYS.admin}` })).status).to.equal(401);
      const forbidden = await call(bearer(KEYS.agent));
      if (forbidden.status === 403) expect(forbidden.body.error.code).to.equal('forbidden');
    });
  }

  it('the public widget routes stay open without a key', async () => {
    expect((await postJson(`${s.url}/api/ask`, { question: 'printer jam' })).status).to.equal(200);
    expect((await getJson(`${s.url}/api/search?q=vpn`)).status).to.equal(200);
    expect((await postJson(`${s.url}/api/tickets`, { email: 'carl@example.com', description: 'x' })).status).to.equal(
      201,
    );
  });

  it('no key is ever echoed back, even in errors', async () => {
    const r = await getJson(`${s.url}/api/reports/gaps`, bearer(KEYS.agent));
    expect(JSON.stringify(r.body)).to.not.contain(KEYS.agent);
  });

  it('lists tickets newest first, paged, filtered by status, language, channel and date', async () => {
    const all = await getJson(`${s.url}/api/tickets?pageSize=2`, bearer(KEYS.agent));
    expect(all.body).to.include({ total: 3, page: 1, pageSize: 2 });
    expect(all.body.tickets).to.have.length(2);
    expect(all.body.tickets[0]).to.not.have.property('transcript');
    const second = await getJson(`${s.url}/api/tickets?pageSize=2&page=2`, bearer(KEYS.agent));
    expect(second.body.tickets.map((t: { id: string }) => t.id)).to.deep.equal([ticketId]);
    expect((await getJson(`${s.url}/api/tickets?lang=es`, bearer(KEYS.agent))).body.total).to.equal(0);
    expect((await getJson(`${s.url}/api/tickets?channel=widget&status=open`, bearer(KEYS.agent))).body.total).to.equal(
      3,
    );
    const today = new Date().toISOString().slice(0, 10);
    expect((await getJson(`${s.url}/api/tickets?from=${today}&to=${today}`, bearer(KEYS.agent))).body.total).to.equal(
      3,
    );
    expect((await getJson(`${s.url}/api/tickets?to=2000-01-01`, bearer(KEYS.agent))).body.total).to.equal(0);
    expect((await getJson(`${s.url}/api/tickets?status=archived`, bearer(KEYS.agent))).status).to.equal(400);
  });

  it('shows one ticket with its transcript, the articles shown with scores, the feedback and the question that failed', async () => {
    const t = (await getJson(`${s.url}/api/tickets/${ticketId}`, bearer(KEYS.agent))).body;
    expect(t).to.include({
      id: ticketId,
      reason: 'not_helpful',
      failedQuestion: 'how do I set up the VPN?',
      email: 'ana@example.com',
      name: 'Ana',
      status: 'open',
    });
    expect(t.articlesShown[0]).to.include({ articleId: 'vpn-setup-en', helpful: false });
    expect(t.articlesShown[0].confidence).to.be.a('number');
    expect(t.feedback).to.deep.equal([{ articleId: 'vpn-setup-en', title: t.articlesShown[0].title, helpful: false }]);
    expect(t.transcript.map((x: { role: string }) => x.role)).to.deep.equal(['user', 'bot', 'user', 'bot']);
    expect((await getJson(`${s.url}/api/tickets/T-999999`, bearer(KEYS.agent))).status).to.equal(404);
  });

  it('updates status, assignee, tags and internal notes, and validates the change', async () => {
    const r = await patch(
      `${s.url}/api/tickets/${ticketId}`,
      { status: 'pending', assignee: 'luis', tags: ['VPN', 'vpn', 'network'], note: 'Called the user' },
      bearer(KEYS.agent),
    );
    expect(r.status).to.equal(200);
    expect(r.body).to.include({ status: 'pending', assignee: 'luis' });
    expect(r.body.tags).to.deep.equal(['vpn', 'network']);
    expect(r.body.notes).to.have.length(1);
    expect(r.body.notes[0]).to.include({ text: 'Called the user', author: 'agent' });
    const unassigned = await patch(`${s.url}/api/tickets/${ticketId}`, { assignee: null }, bearer(KEYS.lead));
    expect(unassigned.body).to.not.have.property('assignee');
    expect((await patch(`${s.url}/api/tickets/${ticketId}`, {}, bearer(KEYS.agent))).status).to.equal(400);
    expect(
      (await patch(`${s.url}/api/tickets/${ticketId}`, { status: 'archived' }, bearer(KEYS.agent))).status,
    ).to.equal(400);
    expect((await patch(`${s.url}/api/tickets/${ticketId}`, { priority: 'high' }, bearer(KEYS.agent))).status).to.equal(
      400,
    );
    expect((await patch(`${s.url}/api/tickets/${ticketId}`, { status: 'solved' }, {})).status).to.equal(401);
    expect((await s.deps.tickets.get(ticketId)).status).to.equal('pending');
  });
});

describe('API keys when none are configured (local mode)', () => {
  it('lets a request made on this machine in, so the demo dashboard works after npm start', async () => {
    const s = await startTestServer();
    try {
      expect((await getJson(`${s.url}/api/tickets`, {})).status).to.equal(200);
      expect((await getJson(`${s.url}/api/reports/deflection`, {})).status).to.equal(200);
    } finally {
      await s.close();
    }
  });

  it('answers 401 with a hint to set DEFLECT_API_KEYS when a proxy relayed the request', async () => {
    const s = await startTestServer();
    try {
      const relayed: Record<string, string>[] = [
        { 'X-Forwarded-For': '203.0.113.7' },
        { Forwarded: 'for=203.0.113.7' },
        { 'X-Real-IP': '203.0.113.7' },
      ];
      for (const h of relayed) {
        const r = await getJson(`${s.url}/api/tickets`, h);
        expect(r.status).to.equal(401);
        expect(r.body.error.message).to.contain('DEFLECT_API_KEYS');
      }
    } finally {
      await s.close();
    }
  });

  it('counts only a loopback peer without proxy headers as local', () => {
    const req = (remoteAddress: string, headers: Record<string, string> = {}) =>
      ({ socket: { remoteAddress }, headers }) as unknown as Parameters<typeof isLocalRequest>[0];
    expect(isLocalRequest(req('127.0.0.1'))).to.equal(true);
    expect(isLocalRequest(req('::1'))).to.equal(true);
    expect(isLocalRequest(req('::ffff:127.0.0.1'))).to.equal(true);
    expect(isLocalRequest(req('10.0.0.5'))).to.equal(false);
    expect(isLocalRequest(req('::ffff:192.168.1.20'))).to.equal(false);
    expect(isLocalRequest(req('127.0.0.1', { 'x-forwarded-for': '203.0.113.7' }))).to.equal(false);
  });
});
