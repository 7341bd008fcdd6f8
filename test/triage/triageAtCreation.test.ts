import { expect } from 'chai';
import { identityHash, attributesMessage } from '../../core/identity/verifyUser.ts';
import { getJson, postJson, startTestServer, type TestServer } from '../helpers/server.ts';
import { triageKb } from './triageKb.ts';

const SECRET = 'identity-secret-0123456789';
const AGENT = 'agent-key-0123456789';
const bearer = { Authorization: `Bearer ${AGENT}` };

/** A widget user as the host site signs it: the id, and (optionally) the attributes. */
function signedUser(id: string, attributes?: Record<string, string>, sign = true) {
  return {
    id,
    hash: identityHash(SECRET, id),
    ...(attributes ? { attributes } : {}),
    ...(attributes && sign ? { attributesHash: identityHash(SECRET, attributesMessage(id, attributes)) } : {}),
  };
}

async function patch(url: string, body: unknown) {
  const res = await fetch(url, {
    method: 'PATCH',
    headers: { 'Content-Type': 'application/json', ...bearer },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

describe('triage when a ticket is opened, and agents changing it (HTTP)', function () {
  this.timeout(120_000);
  let s: TestServer;
  let kb: { dir: string; cleanup: () => void };

  before(async () => {
    kb = triageKb();
    s = await startTestServer({ kbDir: kb.dir, env: { DEFLECT_API_KEYS: `agent=${AGENT}`, IDENTITY_SECRET: SECRET } });
  });
  after(async () => {
    await s.close();
    kb.cleanup();
  });

  /** Ask, then open a ticket from that conversation; the agent's view of it. */
  async function ticketAfter(question: string, user?: ReturnType<typeof signedUser>) {
    const asked = await postJson(`${s.url}/api/ask`, { question, ...(user ? { user } : {}) });
    const created = await postJson(`${s.url}/api/tickets`, {
      conversationId: asked.body.conversationId,
      email: 'ana@example.com',
      ...(user ? { user } : {}),
    });
    expect(created.status).to.equal(201);
    return (await getJson(`${s.url}/api/tickets/${created.body.id}`, bearer)).body;
  }

  it("takes type, team and category from the failed question's best article, the rest from the defaults", async () => {
    const t = await ticketAfter('I was charged twice for my order');
    expect(t).to.deep.include({ type: 'incident', team: 'billing', category: 'Billing', priority: 'P3' });
    expect(t.triage).to.deep.equal({ type: 'article', team: 'article', category: 'article', priority: 'default' });
  });

  it("a verified user's signed plan makes a rule raise the priority and tag the ticket", async () => {
    const t = await ticketAfter('I was charged twice for my order', signedUser('u-1', { plan: 'paid' }));
    expect(t).to.deep.include({ priority: 'P1', team: 'billing', tags: ['vip'] });
    expect(t.triage).to.deep.include({ priority: 'rule', tags: 'rule', team: 'article' });
  });

  it('attributes without their signature are ignored', async () => {
    const t = await ticketAfter('I was charged twice for my order', signedUser('u-2', { plan: 'paid' }, false));
    expect(t).to.deep.include({ priority: 'P3', tags: [] });
  });

  it('with no article close to the question, the rules and defaults decide', async () => {
    const t = await ticketAfter('total outage of the intranet since this morning');
    expect(t).to.deep.include({ type: 'incident', priority: 'P2', team: 'network' });
    expect(t.category).to.equal(undefined);
  });

  it('an agent changes any of them, recorded as the agent; null clears team or category', async () => {
    const t = await ticketAfter('I was charged twice for my order');
    const changed = await patch(`${s.url}/api/tickets/${t.id}`, {
      priority: 'P2',
      type: 'service_request',
      team: null,
      category: 'Payments',
    });
    expect(changed.status).to.equal(200);
    expect(changed.body).to.deep.include({ priority: 'P2', type: 'service_request', category: 'Payments' });
    expect(changed.body.team).to.equal(undefined);
    expect(changed.body.triage).to.deep.equal({ type: 'agent', team: 'agent', category: 'agent', priority: 'agent' });
    expect((await patch(`${s.url}/api/tickets/${t.id}`, { priority: 'P9' })).status).to.equal(400);
    expect((await patch(`${s.url}/api/tickets/${t.id}`, { team: 'Not A Team' })).status).to.equal(400);
  });

  it('an agent may give impact and urgency instead: the matrix decides the priority', async () => {
    const t = await ticketAfter('I was charged twice for my order');
    const url = `${s.url}/api/tickets/${t.id}`;
    const cases: Array<{ change: Record<string, string>; expects: Record<string, string | undefined> }> = [
      { change: { impact: 'high', urgency: 'medium' }, expects: { priority: 'P2', impact: 'high', urgency: 'medium' } },
      // One side changed: the other is the ticket's.
      { change: { urgency: 'high' }, expects: { priority: 'P1', impact: 'high', urgency: 'high' } },
      { change: { impact: 'low', urgency: 'low' }, expects: { priority: 'P4', impact: 'low', urgency: 'low' } },
      { change: { impact: 'medium', urgency: 'medium' }, expects: { priority: 'P3', impact: 'medium' } },
      // A priority given as such no longer follows them.
      { change: { priority: 'P1' }, expects: { priority: 'P1', impact: undefined, urgency: undefined } },
    ];
    for (const { change, expects } of cases) {
      const r = await patch(url, change);
      expect(r.status, JSON.stringify(change)).to.equal(200);
      for (const [field, value] of Object.entries(expects)) expect(r.body[field], field).to.equal(value);
      expect(r.body.triage.priority).to.equal('agent');
    }
    expect((await patch(url, { priority: 'P2', impact: 'high' })).status).to.equal(400);
    expect((await patch(url, { urgency: 'critical' })).status).to.equal(400);
  });

  it('GET /api/tickets filters by team, priority, type and category', async () => {
    const list = async (q: string) =>
      (await getJson(`${s.url}/api/tickets?${q}&pageSize=200`, bearer)).body.tickets as {
        team?: string;
        priority?: string;
        type?: string;
        category?: string;
      }[];
    const network = await list('team=network');
    expect(network).to.have.length.greaterThan(0);
    expect(network.every((t) => t.team === 'network')).to.equal(true);
    expect((await list('priority=P1')).every((t) => t.priority === 'P1')).to.equal(true);
    expect(
      (await list('type=incident&team=billing')).every((t) => t.type === 'incident' && t.team === 'billing'),
    ).to.equal(true);
    const billing = await list('category=billing');
    expect(billing).to.have.length.greaterThan(0);
    expect(billing.every((t) => t.category === 'Billing')).to.equal(true);
    expect((await getJson(`${s.url}/api/tickets?priority=urgent`, bearer)).status).to.equal(400);
  });
});
