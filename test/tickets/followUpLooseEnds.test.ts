import { expect } from 'chai';
import { identityHash } from '../../core/identity/verifyUser.ts';
import { reportDeflection } from '../../core/commands/reportDeflection.ts';
import type { MyTicketResponse } from '../../core/contracts/api.ts';
import { followUpPage } from '../../server/presenters/followUpPage.ts';
import { getJson, postJson, startTestServer, type TestServer } from '../helpers/server.ts';

const AGENT = 'agent-key-0123456789';
const SECRET = 'identity-secret-0123456789';
const agent = { Authorization: `Bearer ${AGENT}` };
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const as = (id: string) => ({ 'X-Deflect-User': id, 'X-Deflect-User-Hash': identityHash(SECRET, id) });

async function patch(url: string, body: unknown, headers: Record<string, string>) {
  const res = await fetch(url, {
    method: 'PATCH',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

describe('customer follow-up: the ticket language, verified users without tokens, follow-ups counted', function () {
  this.timeout(60_000);
  let s: TestServer;
  const open = async (body: Record<string, unknown> = {}) => {
    const r = await postJson(`${s.url}/api/tickets`, { email: 'ana@example.com', description: 'Help', ...body });
    expect(r.status, JSON.stringify(r.body)).to.equal(201);
    return r.body as { id: string; followUp: { token: string } };
  };

  before(async () => {
    s = await startTestServer({ env: { DEFLECT_API_KEYS: `agent=${AGENT}`, IDENTITY_SECRET: SECRET } });
  });
  after(() => s.close());

  it('POST /api/tickets takes lang (es/en): the ticket, its labels and its page follow it; another value is a 400', async () => {
    const es = await open({ lang: 'es' });
    expect((await s.core.tickets.get(es.id)).lang).to.equal('es');
    const view = await getJson(`${s.url}/api/my/tickets/${es.id}`, bearer(es.followUp.token));
    expect(view.body).to.include({ lang: 'es', statusLabel: 'Recibida: la estamos revisando' });
    const en = await open({ lang: 'en' });
    expect((await s.core.tickets.get(en.id)).lang).to.equal('en');
    const bad = await postJson(`${s.url}/api/tickets`, { email: 'ana@example.com', lang: 'fr' });
    expect(bad.status).to.equal(400);
    expect(bad.body.error.code).to.equal('invalid_request');
  });

  it('a verified user reads, writes on and rates their own ticket without its token; anyone else gets 404', async () => {
    const t = await open({ user: { id: 'u-7', hash: identityHash(SECRET, 'u-7') }, subject: 'Laptop' });
    const read = await getJson(`${s.url}/api/my/tickets/${t.id}`, as('u-7'));
    expect(read.status).to.equal(200);
    expect(read.body).to.include({ id: t.id, subject: 'Laptop' });
    const wrote = await postJson(`${s.url}/api/my/tickets/${t.id}/messages`, { text: 'Any news?' }, as('u-7'));
    expect(wrote.status).to.equal(201);
    await patch(`${s.url}/api/tickets/${t.id}`, { status: 'solved' }, agent);
    const rated = await postJson(`${s.url}/api/my/tickets/${t.id}/rating`, { score: 'good' }, as('u-7'));
    expect(rated.status).to.equal(201);

    const forged = { 'X-Deflect-User': 'u-7', 'X-Deflect-User-Hash': 'ab'.repeat(32) };
    for (const headers of [as('u-8'), forged, { 'X-Deflect-User': 'u-7' }]) {
      expect((await getJson(`${s.url}/api/my/tickets/${t.id}`, headers)).status).to.equal(404);
      expect((await postJson(`${s.url}/api/my/tickets/${t.id}/messages`, { text: 'x' }, headers)).status).to.equal(404);
    }
    // A ticket that no verified user owns opens with its token only, whoever is verified.
    const anonymous = await open();
    expect((await getJson(`${s.url}/api/my/tickets/${anonymous.id}`, as('u-7'))).status).to.equal(404);
  });

  it('a follow-up ticket (a message after closing) writes the same ticket event a new ticket does, and the report counts it', async () => {
    const t = await open();
    const counted = async () => (await reportDeflection(s.core, { groupBy: 'channel' })).totals.tickets;
    const before = await counted();
    await patch(`${s.url}/api/tickets/${t.id}`, { status: 'closed' }, agent);
    const r = await postJson(`${s.url}/api/my/tickets/${t.id}/messages`, { text: 'Again' }, bearer(t.followUp.token));
    expect(r.status).to.equal(201);
    const ticketEvents = [];
    for await (const e of s.core.events.read()) if (e.type === 'ticket') ticketEvents.push(e);
    const followUp = ticketEvents.filter((e) => e.ticketId === r.body.ticketId);
    expect(followUp).to.have.length(1);
    expect(followUp[0]).to.include({ channel: 'widget', lang: 'en', reason: 'user' });
    expect(ticketEvents.filter((e) => e.ticketId === t.id)).to.have.length(1);
    expect(await counted()).to.equal(before + 1);
  });
});

describe('the follow-up page shows when a reply is expected', () => {
  const view: MyTicketResponse = {
    id: 'T-000042',
    status: 'open',
    statusLabel: 'Recibida: la estamos revisando',
    lang: 'es',
    subject: 'Portátil',
    createdAt: '2026-12-05T10:00:00.000Z',
    updatedAt: '2026-12-05T10:00:00.000Z',
    messages: [],
  };

  it('in the page’s language when the view carries expectedReplyAt, and says nothing when it does not', () => {
    const es = followUpPage({ ...view, expectedReplyAt: '2026-12-06T09:30:00.000Z' }, { lang: 'es', action: '/f' });
    expect(es).to.contain('Respuesta prevista antes de <time datetime="2026-12-06T09:30:00.000Z">2026-12-06 09:30 UTC');
    const en = followUpPage({ ...view, expectedReplyAt: '2026-12-06T09:30:00.000Z' }, { lang: 'en', action: '/f' });
    expect(en).to.contain('Expected reply by <time');
    expect(followUpPage(view, { lang: 'es', action: '/f' })).to.not.contain('Respuesta prevista');
  });
});
