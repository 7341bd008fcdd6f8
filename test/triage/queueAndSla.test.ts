import { expect } from 'chai';
import { attributesMessage, identityHash } from '../../core/identity/verifyUser.ts';
import { getJson, postJson, startTestServer, type TestServer } from '../helpers/server.ts';
import { triageKb } from './triageKb.ts';

const SECRET = 'identity-secret-0123456789';
const AGENT = 'agent-key-0123456789';
const bearer = { Authorization: `Bearer ${AGENT}` };
const HOUR = 3_600_000;

describe('queues and SLA due times over HTTP (_routing.yml teams, _sla.yml targets)', function () {
  this.timeout(120_000);
  let s: TestServer;
  let kb: { dir: string; cleanup: () => void };
  const opened: { id: string; token: string; priority: string; url: string }[] = [];

  async function open(question: string, plan?: string) {
    const id = `u-${opened.length}`;
    const user = plan
      ? {
          id,
          hash: identityHash(SECRET, id),
          attributes: { plan },
          attributesHash: identityHash(SECRET, attributesMessage(id, { plan })),
        }
      : undefined;
    const asked = await postJson(`${s.url}/api/ask`, { question, ...(user ? { user } : {}) });
    const created = await postJson(`${s.url}/api/tickets`, {
      conversationId: asked.body.conversationId,
      email: 'ana@example.com',
      ...(user ? { user } : {}),
    });
    const t = (await getJson(`${s.url}/api/tickets/${created.body.id}`, bearer)).body;
    opened.push({ id: t.id, token: created.body.followUp.token, priority: t.priority, url: created.body.followUp.url });
    await new Promise((r) => setTimeout(r, 5));
    return t;
  }

  before(async () => {
    kb = triageKb();
    s = await startTestServer({ kbDir: kb.dir, env: { DEFLECT_API_KEYS: `agent=${AGENT}`, IDENTITY_SECRET: SECRET } });
    await open('I was charged twice for my order'); // billing P3
    await open('I was charged twice for my order', 'paid'); // billing P1
    await open('my invoice shows two payments'); // billing P3, newer
  });
  after(async () => {
    await s.close();
    kb.cleanup();
  });

  it("the ticket shows when its first response and resolution are due under its priority's targets", async () => {
    const t = (await getJson(`${s.url}/api/tickets/${opened[1]!.id}`, bearer)).body;
    expect(t.priority).to.equal('P1');
    expect(Date.parse(t.due.firstResponseAt) - Date.parse(t.createdAt)).to.equal(HOUR);
    expect(Date.parse(t.due.resolutionAt) - Date.parse(t.createdAt)).to.equal(8 * HOUR);
    expect(t.sla).to.equal('ok');
  });

  it("the customer's view gives the expected reply time while an agent's reply is awaited", async () => {
    const { id, token } = opened[0]!;
    const mine = (await getJson(`${s.url}/api/my/tickets/${id}`, { Authorization: `Bearer ${token}` })).body;
    const agent = (await getJson(`${s.url}/api/tickets/${id}`, bearer)).body;
    expect(mine.expectedReplyAt).to.equal(agent.due.firstResponseAt);
    expect(Date.parse(mine.expectedReplyAt) - Date.parse(mine.createdAt)).to.equal(8 * HOUR);
  });

  it('the follow-up page tells the customer when to expect a reply, in their language', async () => {
    const { url, id } = opened[0]!;
    const due = (await getJson(`${s.url}/api/tickets/${id}`, bearer)).body.due.firstResponseAt as string;
    const shown = `${due.slice(0, 10)} ${due.slice(11, 16)} UTC`;
    const page = (lang: string) =>
      fetch(`${s.url}${new URL(url).pathname}?lang=${lang}`, { headers: { 'Accept-Language': lang } }).then((r) =>
        r.text(),
      );
    expect(await page('en')).to.contain(`Expected reply by <time datetime="${due}">${shown}</time>`);
    expect(await page('es')).to.contain(`Respuesta prevista antes de <time datetime="${due}">${shown}</time>`);
  });

  it('sort=queue: the team queue by priority, then due time, then age', async () => {
    const queue = (await getJson(`${s.url}/api/tickets?team=billing&sort=queue`, bearer)).body;
    expect(queue.tickets.map((t: { id: string }) => t.id)).to.deep.equal([opened[1]!.id, opened[0]!.id, opened[2]!.id]);
    expect(queue.total).to.equal(3);
  });

  it('a team set to fifo is served oldest first, whatever the priority', async () => {
    const a = await open('total outage of the intranet'); // rules: network P2
    const b = await open('please help me with something else entirely'); // defaults: helpdesk P3
    const c = await open('another unrelated request from the shop'); // helpdesk P3
    await fetch(`${s.url}/api/tickets/${c.id}`, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/json', ...bearer },
      body: JSON.stringify({ priority: 'P1' }),
    });
    const queue = (await getJson(`${s.url}/api/tickets?team=helpdesk&sort=queue`, bearer)).body;
    expect(queue.tickets.map((t: { id: string }) => t.id)).to.deep.equal([b.id, c.id]);
    expect(a.team).to.equal('network');
  });

  it('a change or a reply by an agent answers with the ticket and its SLA as GET shows it', async () => {
    const { id } = opened[1]!; // P1: first response due an hour after opening
    const patched = await fetch(`${s.url}/api/tickets/${id}`, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/json', ...bearer },
      body: JSON.stringify({ assignee: 'maria' }),
    }).then((r) => r.json());
    const shown = (await getJson(`${s.url}/api/tickets/${id}`, bearer)).body;
    expect(patched.assignee).to.equal('maria');
    expect(patched.due).to.deep.equal(shown.due);
    expect(patched.due.firstResponseAt).to.be.a('string');
    expect(patched.sla).to.equal(shown.sla);

    const replied = await postJson(`${s.url}/api/tickets/${id}/messages`, { text: 'Looking into it.' }, bearer);
    expect(replied.status).to.equal(201);
    // Answered: the first-response clock has stopped, and pending pauses the resolution clock.
    expect(replied.body.ticket.due).to.deep.equal((await getJson(`${s.url}/api/tickets/${id}`, bearer)).body.due);
    expect(replied.body.ticket.due.firstResponseAt).to.equal(undefined);
    expect(replied.body.ticket.sla).to.equal('ok');
  });
});
