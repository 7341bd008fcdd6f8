import { expect } from 'chai';
import type { DeflectEvent } from '../../core/events/types.ts';
import { postJson, startTestServer, type TestServer } from '../helpers/server.ts';

const KEYS = { agent: 'agent-key-0123456789', lead: 'lead-key-0123456789' };
const bearer = (key: string) => ({ Authorization: `Bearer ${key}` });

async function patch(url: string, body: unknown, headers: Record<string, string>) {
  const res = await fetch(url, {
    method: 'PATCH',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

describe('agents answer tickets: POST /api/tickets/:id/messages, PATCH statuses', function () {
  this.timeout(60_000);
  let s: TestServer;
  const open = async () =>
    (await postJson(`${s.url}/api/tickets`, { email: 'ana@example.com', description: 'Help' })).body;
  const reply = (id: string, body: unknown, headers: Record<string, string> = bearer(KEYS.agent)) =>
    postJson(`${s.url}/api/tickets/${id}/messages`, body, headers);

  before(async () => {
    s = await startTestServer({ env: { DEFLECT_API_KEYS: `agent=${KEYS.agent},lead=${KEYS.lead}` } });
  });
  after(() => s.close());

  it('a public reply → 201, waiting for the customer; the author defaults to the key’s role', async () => {
    const t = await open();
    const r = await reply(t.id, { text: 'Can you send a photo?' });
    expect(r.status).to.equal(201);
    expect(r.body.message).to.include({
      from: 'agent',
      text: 'Can you send a photo?',
      internal: false,
      author: 'agent',
    });
    expect(r.body.ticket).to.include({ status: 'pending' });
    expect(r.body.ticket.firstResponseAt).to.equal(r.body.message.at);
    const lead = await reply(
      t.id,
      { text: 'Escalated to the vendor', status: 'on_hold', author: 'Marta' },
      bearer(KEYS.lead),
    );
    expect(lead.body.ticket.status).to.equal('on_hold');
    expect(lead.body.message.author).to.equal('Marta');
  });

  it('an internal note → 201, moves no status and is no first response', async () => {
    const t = await open();
    const r = await reply(t.id, { text: 'Known customer', internal: true });
    expect(r.status).to.equal(201);
    expect(r.body.message.internal).to.equal(true);
    expect(r.body.ticket.status).to.equal('open');
    expect(r.body.ticket).to.not.have.property('firstResponseAt');
    const firsts: DeflectEvent[] = [];
    for await (const e of s.core.events.read())
      if (e.type === 'ticket_first_response' && e.ticketId === t.id) firsts.push(e);
    expect(firsts).to.deep.equal([]);
  });

  it('refuses: no key 401, unknown ticket 404, empty or unknown fields 400, a public reply on a closed ticket 409', async () => {
    const t = await open();
    expect((await reply(t.id, { text: 'hi' }, {})).status).to.equal(401);
    expect((await reply('T-999999', { text: 'hi' })).status).to.equal(404);
    expect((await reply('nope', { text: 'hi' })).status).to.equal(400);
    expect((await reply(t.id, { text: '   ' })).status).to.equal(400);
    expect((await reply(t.id, { text: 'hi', cc: 'x' })).status).to.equal(400);
    expect((await reply(t.id, { text: 'hi', status: 'archived' })).status).to.equal(400);
    await patch(`${s.url}/api/tickets/${t.id}`, { status: 'closed' }, bearer(KEYS.agent));
    const closed = await reply(t.id, { text: 'hi' });
    expect(closed.status).to.equal(409);
    expect(closed.body.error.code).to.equal('conflict');
    expect((await reply(t.id, { text: 'for the record', internal: true })).status).to.equal(201);
  });

  it('PATCH accepts on_hold and closed; a closed ticket does not reopen; solvedWith still works', async () => {
    const t = await open();
    expect(
      (await patch(`${s.url}/api/tickets/${t.id}`, { status: 'on_hold' }, bearer(KEYS.agent))).body.status,
    ).to.equal('on_hold');
    const solved = await patch(
      `${s.url}/api/tickets/${t.id}`,
      { status: 'solved', solvedWith: 'reset-password-en' },
      bearer(KEYS.agent),
    );
    expect(solved.status).to.equal(200);
    expect(solved.body).to.include({ status: 'solved', solvedWith: 'reset-password-en' });
    expect(solved.body.solvedAt).to.be.a('string');
    const closed = await patch(`${s.url}/api/tickets/${t.id}`, { status: 'closed' }, bearer(KEYS.agent));
    expect(closed.body).to.include({ status: 'closed' });
    expect(closed.body.closedAt).to.be.a('string');
    expect((await patch(`${s.url}/api/tickets/${t.id}`, { status: 'open' }, bearer(KEYS.agent))).status).to.equal(409);
    expect((await s.core.tickets.get(t.id)).status).to.equal('closed');
  });
});
