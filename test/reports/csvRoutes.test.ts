import { expect } from 'chai';
import { postJson, startTestServer, type TestServer } from '../helpers/server.ts';

const LEAD = 'lead-key-0123456789';

describe('reports as CSV over HTTP', function () {
  this.timeout(60_000);
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ env: { DEFLECT_API_KEYS: `lead=${LEAD}` } });
    await postJson(`${s.url}/api/ask`, { question: 'how do I set up the VPN?' });
    await postJson(`${s.url}/api/ask`, { question: 'where can I park my bike at the office?' });
  });
  after(() => s.close());

  for (const report of ['deflection?groupBy=lang', 'articles', 'gaps']) {
    it(`/api/reports/${report} as CSV with ?format=csv and with Accept: text/csv`, async () => {
      const sep = report.includes('?') ? '&' : '?';
      const byQuery = await fetch(`${s.url}/api/reports/${report}${sep}format=csv`, {
        headers: { Authorization: `Bearer ${LEAD}` },
      });
      const byAccept = await fetch(`${s.url}/api/reports/${report}`, {
        headers: { Authorization: `Bearer ${LEAD}`, Accept: 'text/csv' },
      });
      for (const res of [byQuery, byAccept]) {
        expect(res.status).to.equal(200);
        expect(res.headers.get('content-type')).to.match(/^text\/csv/);
        expect(res.headers.get('content-disposition')).to.match(/attachment; filename=".+\.csv"/);
      }
      const text = await byQuery.text();
      expect(text).to.equal(await byAccept.text());
      expect(text.split('\r\n').length).to.be.greaterThan(2);
    });
  }

  it('the deflection CSV has one row per group and the totals last', async () => {
    const text = await (
      await fetch(`${s.url}/api/reports/deflection?groupBy=lang&format=csv`, {
        headers: { Authorization: `Bearer ${LEAD}` },
      })
    ).text();
    const lines = text.trim().split('\r\n');
    expect(lines[0]!.startsWith('key,questions,answered,suggested,unanswered,')).to.equal(true);
    expect(lines.at(-1)!.startsWith('total,2,1,0,1,')).to.equal(true);
  });

  it('the gaps CSV names the question that found nothing', async () => {
    const text = await (
      await fetch(`${s.url}/api/reports/gaps?format=csv`, { headers: { Authorization: `Bearer ${LEAD}` } })
    ).text();
    expect(text).to.contain('where can I park my bike at the office?');
  });
});
