import { expect } from 'chai';
import type { AgentTicketDetail, AgentTicketSummary } from '../../core/contracts/agent.ts';
import { ticketDetail, ticketSummary } from '../../server/presenters/tickets.ts';
import { getJson, postJson, startTestServer, type TestServer } from '../helpers/server.ts';

const AGENT = 'agent-key-0123456789';
const bearer = { Authorization: `Bearer ${AGENT}` };

/** What the inbox asks of the server besides the ticket routes: its page and assets, the queue's new filters, counts per status. */
describe('the agent inbox over HTTP: /agent, ?assignee= and ?text=, /api/ticket-counts', function () {
  this.timeout(60_000);
  let s: TestServer;
  const ids: string[] = [];

  before(async () => {
    s = await startTestServer({ env: { DEFLECT_API_KEYS: `agent=${AGENT}` } });
    for (const subject of ['VPN drops every hour', 'Printer jammed', 'La VPN no conecta'])
      ids.push((await postJson(`${s.url}/api/tickets`, { email: 'ana@example.com', subject })).body.id);
    const patch = (id: string, body: unknown) =>
      fetch(`${s.url}/api/tickets/${id}`, {
        method: 'PATCH',
        headers: { 'Content-Type': 'application/json', ...bearer },
        body: JSON.stringify(body),
      });
    await patch(ids[0]!, { assignee: 'Marta' });
    await patch(ids[2]!, { status: 'on_hold' });
  });
  after(() => s.close());

  it('serves the page and its built script and stylesheet, uncached', async () => {
    const html = await fetch(`${s.url}/agent`);
    expect(html.status).to.equal(200);
    expect(html.headers.get('cache-control')).to.equal('no-store');
    expect(await html.text()).to.contain('<script src="/agent/inbox.js" defer></script>');
    const script = await fetch(`${s.url}/agent/inbox.js`);
    expect(script.headers.get('content-type')).to.match(/javascript/);
    expect((await fetch(`${s.url}/agent/inbox.css`)).headers.get('content-type')).to.match(/^text\/css/);
  });

  it('lists by assignee (a name, or none) and by words', async () => {
    const list = async (q: string) =>
      (await getJson(`${s.url}/api/tickets?${q}`, bearer)).body.tickets.map((t: { id: string }) => t.id);
    expect(await list('assignee=Marta')).to.deep.equal([ids[0]]);
    expect(await list('assignee=none')).to.have.members([ids[1], ids[2]]);
    expect(await list('text=vpn')).to.have.members([ids[0], ids[2]]);
    expect(await list('text=vpn&assignee=none')).to.deep.equal([ids[2]]);
    expect((await getJson(`${s.url}/api/tickets?assignee=`, bearer)).status).to.equal(400);
  });

  it('counts per status under the other filters, for agents only', async () => {
    const counts = await getJson(`${s.url}/api/ticket-counts?text=vpn`, bearer);
    expect(counts.status).to.equal(200);
    expect(counts.body).to.deep.equal({ counts: { open: 1, pending: 0, on_hold: 1, solved: 0, closed: 0 }, total: 2 });
    const all = await getJson(`${s.url}/api/ticket-counts`, bearer);
    expect(all.body.total).to.equal(3);
    // The status is what it counts by; a page makes no sense here.
    expect((await getJson(`${s.url}/api/ticket-counts?status=open`, bearer)).status).to.equal(400);
    expect((await getJson(`${s.url}/api/ticket-counts?page=2`, bearer)).status).to.equal(400);
    const refused = await getJson(`${s.url}/api/ticket-counts`);
    expect(refused.status).to.equal(401);
    expect(refused.body.error.code).to.equal('unauthorized');
  });

  it('the ticket routes send what the inbox reads (core/contracts/agent.ts)', async () => {
    const stored = await s.core.tickets.get(ids[0]!);
    // Type-checked: the presenters' output is assignable to the inbox's contract.
    const summary: AgentTicketSummary = ticketSummary(stored);
    const detail: AgentTicketDetail = ticketDetail(stored);
    const listed = (await getJson(`${s.url}/api/tickets?assignee=Marta`, bearer)).body.tickets[0];
    expect(listed).to.deep.equal(JSON.parse(JSON.stringify(summary)));
    const shown = (await getJson(`${s.url}/api/tickets/${ids[0]}`, bearer)).body;
    expect(shown).to.deep.equal(JSON.parse(JSON.stringify(detail)));
    expect(shown).to.include.keys('transcript', 'articlesShown', 'messages', 'notes');
  });
});
