import { expect } from 'chai';
import { getJson, postJson, startTestServer, type TestServer } from '../helpers/server.ts';

const KEYS = { lead: 'lead-key-0123456789', agent: 'agent-key-0123456789' };
const lead = { Authorization: `Bearer ${KEYS.lead}` };
const agent = { 'Content-Type': 'application/json', Authorization: `Bearer ${KEYS.agent}` };

/** GET /api/reports/tickets end to end: tickets opened, answered, solved and rated through the API. */
describe('GET /api/reports/tickets', function () {
  this.timeout(60_000);
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ env: { DEFLECT_API_KEYS: `lead=${KEYS.lead},agent=${KEYS.agent}` } });
    const a = await postJson(`${s.url}/api/tickets`, { email: 'ana@example.com', description: 'No invoice' });
    await fetch(`${s.url}/api/tickets/${a.body.id}`, {
      method: 'PATCH',
      headers: agent,
      body: JSON.stringify({ category: 'billing', priority: 'P3' }),
    });
    const replied = await fetch(`${s.url}/api/tickets/${a.body.id}/messages`, {
      method: 'POST',
      headers: agent,
      body: JSON.stringify({ text: 'Here it is', author: 'marta', status: 'solved' }),
    });
    expect(replied.status).to.equal(201);
    const rated = await postJson(
      `${s.url}/api/my/tickets/${a.body.id}/rating`,
      { score: 'good' },
      { Authorization: `Bearer ${a.body.followUp.token}` },
    );
    expect(rated.status).to.equal(201);
    // Still open: in the backlog, not answered.
    await postJson(`${s.url}/api/tickets`, { email: 'bob@example.com', description: 'VPN down' });
  });
  after(() => s.close());

  it('counts volume, backlog, first responses, first-contact resolution and CSAT, per group and in total', async () => {
    const r = await getJson(`${s.url}/api/reports/tickets?groupBy=category`, lead);
    expect(r.status).to.equal(200);
    expect(r.body).to.include({ groupBy: 'category', businessCalendar: 'around-the-clock' });
    expect(r.body.totals).to.include({
      key: '(total)',
      created: 2,
      solved: 1,
      backlog: 1,
      backlogUnder1d: 1,
      firstResponses: 1,
      reopened: 0,
      firstContactResolved: 1,
      firstContactWindowOpen: 1,
      ratings: 1,
      satisfied: 1,
      satisfiedRate: 1,
    });
    expect(
      r.body.rows.map((x: { key: string; created: number; backlog: number }) => [x.key, x.created, x.backlog]),
    ).to.deep.equal([
      // Most created first, then most solved.
      ['billing', 1, 0],
      ['(uncategorised)', 1, 1],
    ]);
  });

  it('by day (the default): a row for every day of the period', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const r = await getJson(`${s.url}/api/reports/tickets?from=${today}&to=${today}`, lead);
    expect(r.body.groupBy).to.equal('day');
    expect(r.body.rows).to.have.length(1);
    expect(r.body.rows[0]).to.include({ key: today, created: 2, solved: 1 });
  });

  it('as CSV: the rows, then the totals, in machine names', async () => {
    const res = await fetch(`${s.url}/api/reports/tickets?groupBy=agent&format=csv`, { headers: lead });
    expect(res.headers.get('content-type')).to.match(/^text\/csv/);
    expect(res.headers.get('content-disposition')).to.include('tickets-by-agent.csv');
    const lines = (await res.text()).trim().split('\r\n');
    expect(lines[0]!.split(',').slice(0, 4)).to.deep.equal(['key', 'created', 'solved', 'backlog']);
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 3).join(','))).to.deep.equal([
      'marta,1,1',
      '(none),1,0',
      '(total),2,1',
    ]);
  });

  it('refuses an unknown groupBy or a bad period (400 invalid_request, naming the field) and callers without the lead key', async () => {
    const bad = await getJson(`${s.url}/api/reports/tickets?groupBy=tag`, lead);
    expect(bad.status).to.equal(400);
    expect(bad.body.error.code).to.equal('invalid_request');
    expect(bad.body.error.details[0].field).to.equal('groupBy');
    const period = await getJson(`${s.url}/api/reports/tickets?from=2026-02-30`, lead);
    expect(period.status).to.equal(400);
    expect(period.body.error.details[0].field).to.equal('from');
    expect((await getJson(`${s.url}/api/reports/tickets`)).status).to.equal(401);
    expect((await getJson(`${s.url}/api/reports/tickets`, { Authorization: `Bearer ${KEYS.agent}` })).status).to.equal(
      403,
    );
  });
});
