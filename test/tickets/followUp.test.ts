import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { identityHash } from '../../core/identity/verifyUser.ts';
import type { DeflectEvent } from '../../core/events/types.ts';
import { getJson, postJson, startTestServer, type TestServer } from '../helpers/server.ts';

const AGENT = 'agent-key-0123456789';
const SECRET = 'identity-secret-0123456789';
const agent = { Authorization: `Bearer ${AGENT}` };
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

async function send(method: 'PATCH' | 'POST', url: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method,
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

describe('customer follow-up: /api/my/tickets (issue 17 contract)', function () {
  this.timeout(60_000);
  let s: TestServer;
  const open = async (body: Record<string, unknown> = {}) => {
    const r = await postJson(`${s.url}/api/tickets`, {
      email: 'ana@example.com',
      description: 'Need a monitor',
      ...body,
    });
    expect(r.status).to.equal(201);
    return r.body as { id: string; status: string; followUp: { token: string; url: string } };
  };
  const events = async (type: string) => {
    const all: DeflectEvent[] = [];
    for await (const e of s.core.events.read()) if (e.type === type) all.push(e);
    return all;
  };

  before(async () => {
    s = await startTestServer({
      env: { DEFLECT_API_KEYS: `agent=${AGENT}`, IDENTITY_SECRET: SECRET, PUBLIC_URL: 'https://help.example.com' },
    });
  });
  after(() => s.close());

  it('POST /api/tickets gives a follow-up token of at least 128 bits and a page URL; only its hash is stored', async () => {
    const created = await open();
    expect(created).to.include({ status: 'open' });
    expect(Buffer.from(created.followUp.token, 'base64url').length).to.be.at.least(16);
    expect(created.followUp.url).to.equal(
      `https://help.example.com/follow/${created.id}/${encodeURIComponent(created.followUp.token)}`,
    );
    const onDisk = readFileSync(path.join(s.config.dataDir, 'tickets.json'), 'utf8');
    expect(onDisk).to.contain(created.id).and.not.contain(created.followUp.token);
    const other = await open();
    expect(other.followUp.token).to.not.equal(created.followUp.token);
  });

  it('GET /api/my/tickets/:id with the token shows the status in words and the public thread', async () => {
    const created = await open({ subject: 'Monitor', description: 'My monitor flickers' });
    const r = await getJson(`${s.url}/api/my/tickets/${created.id}`, bearer(created.followUp.token));
    expect(r.status).to.equal(200);
    expect(r.body).to.include({ id: created.id, status: 'open', subject: 'Monitor', lang: 'en' });
    expect(r.body.statusLabel).to.equal("Received: we're looking into it");
    expect(r.body.messages).to.have.length(1);
    expect(r.body.messages[0]).to.include({ from: 'customer', text: 'My monitor flickers' });
    expect(r.body).to.have.keys('id', 'status', 'statusLabel', 'lang', 'subject', 'createdAt', 'updatedAt', 'messages');
    const es = await getJson(`${s.url}/api/my/tickets/${created.id}?lang=es`, bearer(created.followUp.token));
    expect(es.body.statusLabel).to.equal('Recibida: la estamos revisando');
  });

  it('a wrong, missing or other ticket’s token, an unknown id and a malformed id are all the same 404', async () => {
    const a = await open();
    const b = await open();
    const tries = [
      getJson(`${s.url}/api/my/tickets/${a.id}`, bearer(b.followUp.token)),
      getJson(`${s.url}/api/my/tickets/${a.id}`, bearer(a.followUp.token.slice(0, -1) + 'x')),
      getJson(`${s.url}/api/my/tickets/${a.id}`),
      getJson(`${s.url}/api/my/tickets/${a.id}`, { Authorization: a.followUp.token }),
      getJson(`${s.url}/api/my/tickets/T-999999`, bearer(a.followUp.token)),
      getJson(`${s.url}/api/my/tickets/..%2Fetc`, bearer(a.followUp.token)),
      postJson(`${s.url}/api/my/tickets/${a.id}/messages`, { text: 'hi' }, bearer(b.followUp.token)),
      postJson(`${s.url}/api/my/tickets/T-999999/messages`, { text: 'hi' }, bearer(b.followUp.token)),
      postJson(`${s.url}/api/my/tickets/${a.id}/rating`, { score: 'good' }, bearer(b.followUp.token)),
    ];
    for (const r of await Promise.all(tries)) {
      expect(r.status).to.equal(404);
      expect(r.body.error.code).to.equal('not_found');
      expect(JSON.stringify(r.body)).to.not.contain('token');
    }
    expect((await s.core.tickets.get(a.id)).messages).to.have.length(1);
  });

  it('internal notes never reach the customer; a public reply does, and sets pending', async () => {
    const t = await open();
    const note = await send(
      'POST',
      `${s.url}/api/tickets/${t.id}/messages`,
      { text: 'SECRET-NOTE vip', internal: true },
      agent,
    );
    expect(note.status).to.equal(201);
    const reply = await send(
      'POST',
      `${s.url}/api/tickets/${t.id}/messages`,
      { text: 'Which model?', author: 'Luis' },
      agent,
    );
    expect(reply.status).to.equal(201);
    const mine = await getJson(`${s.url}/api/my/tickets/${t.id}`, bearer(t.followUp.token));
    expect(mine.body.status).to.equal('pending');
    expect(mine.body.statusLabel).to.equal('Waiting for your reply');
    expect(mine.body.messages.map((m: { from: string; text: string }) => [m.from, m.text])).to.deep.equal([
      ['customer', 'Need a monitor'],
      ['agent', 'Which model?'],
    ]);
    expect(JSON.stringify(mine.body)).to.not.contain('SECRET-NOTE');
    const agentView = await getJson(`${s.url}/api/tickets/${t.id}`, agent);
    expect(agentView.body.messages.map((m: { internal: boolean }) => m.internal)).to.deep.equal([false, true, false]);
  });

  it('POST /api/my/tickets/:id/messages → 201; on pending the ticket opens again, counted as a reopen', async () => {
    const t = await open();
    await send('POST', `${s.url}/api/tickets/${t.id}/messages`, { text: 'Which model?' }, agent);
    const r = await postJson(
      `${s.url}/api/my/tickets/${t.id}/messages`,
      { text: 'A Dell U2720' },
      bearer(t.followUp.token),
    );
    expect(r.status).to.equal(201);
    expect(r.body).to.deep.include({ ticketId: t.id, status: 'open' });
    expect(r.body.message).to.include({ from: 'customer', text: 'A Dell U2720' });
    expect(r.body).to.not.have.property('followUp');
    expect((await getJson(`${s.url}/api/tickets/${t.id}`, agent)).body.reopens).to.equal(1);
    expect((await events('ticket_reopened')).some((e) => 'ticketId' in e && e.ticketId === t.id)).to.equal(true);
    const empty = await postJson(`${s.url}/api/my/tickets/${t.id}/messages`, { text: '  ' }, bearer(t.followUp.token));
    expect(empty.status).to.equal(400);
  });

  it('first response and resolution are events; the rating is 409 before solved, then 201, 200, and 409 once closed', async () => {
    const t = await open();
    const rateIt = (body: unknown) =>
      postJson(`${s.url}/api/my/tickets/${t.id}/rating`, body, bearer(t.followUp.token));
    expect((await rateIt({ score: 'good' })).status).to.equal(409);
    await send('POST', `${s.url}/api/tickets/${t.id}/messages`, { text: 'Replaced', status: 'solved' }, agent);
    const first = await rateIt({ score: 'bad', comment: 'slow' });
    expect(first.status).to.equal(201);
    expect(first.body.rating).to.include({ score: 'bad', comment: 'slow' });
    expect((await rateIt({ score: 'good' })).status).to.equal(200);
    expect((await getJson(`${s.url}/api/my/tickets/${t.id}`, bearer(t.followUp.token))).body.rating.score).to.equal(
      'good',
    );
    expect((await rateIt({ score: 'meh' })).status).to.equal(400);
    expect((await send('PATCH', `${s.url}/api/tickets/${t.id}`, { status: 'closed' }, agent)).status).to.equal(200);
    const closed = await rateIt({ score: 'bad' });
    expect(closed.status).to.equal(409);
    expect(closed.body.error.code).to.equal('conflict');
    const mine = (e: DeflectEvent) => 'ticketId' in e && e.ticketId === t.id;
    expect((await events('ticket_first_response')).filter(mine)).to.have.length(1);
    expect((await events('ticket_resolved')).filter(mine)).to.have.length(1);
  });

  it('a message on a closed ticket opens a follow-up ticket linked to it, with its own token', async () => {
    const t = await open();
    await send('PATCH', `${s.url}/api/tickets/${t.id}`, { status: 'closed' }, agent);
    const r = await postJson(
      `${s.url}/api/my/tickets/${t.id}/messages`,
      { text: 'It broke again' },
      bearer(t.followUp.token),
    );
    expect(r.status).to.equal(201);
    expect(r.body.ticketId).to.not.equal(t.id);
    expect(r.body.status).to.equal('open');
    expect(r.body.followUp.url).to.contain(`/follow/${r.body.ticketId}/`);
    const next = await getJson(`${s.url}/api/my/tickets/${r.body.ticketId}`, bearer(r.body.followUp.token));
    expect(next.body).to.include({ followUpOf: t.id });
    expect(next.body.messages.map((m: { text: string }) => m.text)).to.deep.equal(['It broke again']);
    expect((await getJson(`${s.url}/api/my/tickets/${r.body.ticketId}`, bearer(t.followUp.token))).status).to.equal(
      404,
    );
    const old = await getJson(`${s.url}/api/my/tickets/${t.id}`, bearer(t.followUp.token));
    expect(old.body.status).to.equal('closed');
    expect(old.body.messages.map((m: { text: string }) => m.text)).to.not.include('It broke again');
    expect((await getJson(`${s.url}/api/tickets/${t.id}`, agent)).body.followUps).to.deep.equal([r.body.ticketId]);
  });

  it('GET /api/my/tickets lists a verified user’s own tickets only; an unverified user gets 401', async () => {
    const user = (id: string) => ({ id, hash: identityHash(SECRET, id) });
    const mine = await open({ user: user('u-42'), subject: 'Mine' });
    await open({ user: user('u-43'), subject: 'Theirs' });
    await open({ user: { id: 'u-42' }, subject: 'Unverified' }); // not vouched for: not listed
    const r = await getJson(`${s.url}/api/my/tickets`, {
      'X-Deflect-User': 'u-42',
      'X-Deflect-User-Hash': identityHash(SECRET, 'u-42'),
    });
    expect(r.status).to.equal(200);
    expect(r.body.tickets.map((t: { id: string }) => t.id)).to.deep.equal([mine.id]);
    expect(r.body.tickets[0]).to.include({ subject: 'Mine', status: 'open' }).and.not.have.property('messages');
    const refusals: Record<string, string>[] = [
      {},
      { 'X-Deflect-User': 'u-42' },
      { 'X-Deflect-User': 'u-42', 'X-Deflect-User-Hash': 'ab'.repeat(32) },
    ];
    for (const headers of refusals) {
      const refused = await getJson(`${s.url}/api/my/tickets`, headers);
      expect(refused.status).to.equal(401);
      expect(refused.body.error.code).to.equal('identity_invalid');
    }
  });
});
