import { expect } from 'chai';
import { getJson, postJson, startTestServer, type TestServer } from '../helpers/server.ts';

const KEYS = { lead: 'lead-key-0123456789', agent: 'agent-key-0123456789' };
const lead = { Authorization: `Bearer ${KEYS.lead}` };

/** GET /api/reports/csat end to end: a ticket solved and rated by its customer, a bot answer judged. */
describe('GET /api/reports/csat', function () {
  this.timeout(60_000);
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ env: { DEFLECT_API_KEYS: `lead=${KEYS.lead},agent=${KEYS.agent}` } });
    const created = await postJson(`${s.url}/api/tickets`, { email: 'ana@example.com', description: 'No invoice' });
    const solved = await fetch(`${s.url}/api/tickets/${created.body.id}`, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${KEYS.agent}` },
      body: JSON.stringify({ status: 'solved', assignee: 'marta' }),
    });
    expect(solved.status).to.equal(200);
    const rated = await postJson(
      `${s.url}/api/my/tickets/${created.body.id}/rating`,
      { score: 'good', comment: 'Muy rápido, gracias' },
      { Authorization: `Bearer ${created.body.followUp.token}` },
    );
    expect(rated.status).to.equal(201);
    // Solved, not rated: offered, no response.
    const other = await postJson(`${s.url}/api/tickets`, { email: 'bob@example.com', description: 'VPN' });
    await fetch(`${s.url}/api/tickets/${other.body.id}`, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${KEYS.agent}` },
      body: JSON.stringify({ status: 'solved', assignee: 'luis' }),
    });
    const ask = await postJson(`${s.url}/api/ask`, { question: 'how do I set up the VPN?' });
    await postJson(`${s.url}/api/feedback`, {
      conversationId: ask.body.conversationId,
      articleId: ask.body.answer.articleId,
      helpful: true,
    });
  });
  after(() => s.close());

  it('counts ticket ratings and bot-answer ratings apart, with the latest comments', async () => {
    const r = await getJson(`${s.url}/api/reports/csat?groupBy=agent`, lead);
    expect(r.status).to.equal(200);
    expect(r.body).to.include({ offered: 2, responded: 1, good: 1, bad: 0, score: 1, responseRate: 0.5 });
    expect(r.body.groups.map((g: { key: string; score: number | null }) => [g.key, g.score])).to.deep.equal([
      ['marta', null],
      ['luis', null],
    ]);
    expect(r.body.comments).to.have.length(1);
    expect(r.body.comments[0]).to.include({ score: 'good', comment: 'Muy rápido, gracias', key: 'marta' });
    expect(r.body.answers).to.include({ offered: 1, responded: 1, good: 1, bad: 0 });
  });

  it('as CSV: ticket groups and total, then answer groups and total', async () => {
    const res = await fetch(`${s.url}/api/reports/csat?groupBy=channel&format=csv`, { headers: lead });
    expect(res.headers.get('content-type')).to.match(/^text\/csv/);
    expect(res.headers.get('content-disposition')).to.include('csat-by-channel.csv');
    const lines = (await res.text()).trim().split('\r\n');
    expect(lines).to.deep.equal([
      'rated,key,offered,responded,good,bad,score,responseRate',
      'ticket,widget,2,1,1,0,,0.5',
      'ticket,(total),2,1,1,0,1,0.5',
      'answer,widget,1,1,1,0,,1',
      'answer,(total),1,1,1,0,1,1',
    ]);
  });

  it('refuses an unknown groupBy (400) and a caller without the lead key (401)', async () => {
    const bad = await getJson(`${s.url}/api/reports/csat?groupBy=tag`, lead);
    expect(bad.status).to.equal(400);
    expect(bad.body.error.details[0].field).to.equal('groupBy');
    expect((await getJson(`${s.url}/api/reports/csat`)).status).to.equal(401);
  });
});
