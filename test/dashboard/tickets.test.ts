import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { localeFor } from '../../dashboard/src/i18n/index.ts';
import { launchChromium } from '../helpers/chromium.ts';
import { postJson, startTestServer, type TestServer } from '../helpers/server.ts';

const KEYS = { lead: 'lead-key-0123456789', agent: 'agent-key-0123456789' };
const agent = { 'Content-Type': 'application/json', Authorization: `Bearer ${KEYS.agent}` };

/**
 * Done when: the dashboard's Tickets tab shows, for the period and in the
 * page's language, the tickets created, solved and waiting, the satisfied
 * share and first-contact resolution, created vs solved per day and the
 * backlog by age as charts, a table per group (regrouped on request) with
 * its CSV; the deflection panels are out of sight meanwhile; switching the
 * language rewords the tab in place, on the same figures; the page heading
 * names the ticket reports while the tab is shown.
 */
describe('the dashboard: the Tickets tab', function () {
  this.timeout(120_000);
  let s: TestServer;
  let browser: Browser;

  before(async () => {
    s = await startTestServer({ env: { DEFLECT_API_KEYS: `lead=${KEYS.lead},agent=${KEYS.agent}` } });
    const open = async (description: string) => {
      const r = await postJson(`${s.url}/api/tickets`, { email: 'cliente@example.com', description });
      expect(r.status).to.equal(201);
      return r.body as { id: string; followUp: { token: string } };
    };
    const reply = async (id: string, author: string, status?: string) => {
      const r = await fetch(`${s.url}/api/tickets/${id}/messages`, {
        method: 'POST',
        headers: agent,
        body: JSON.stringify({ text: 'Mira esto', author, ...(status ? { status } : {}) }),
      });
      expect(r.status).to.equal(201);
    };
    // Solved at the first reply and rated good; waiting for the customer; not answered yet.
    const billing = await open('No me llega la factura');
    await fetch(`${s.url}/api/tickets/${billing.id}`, {
      method: 'PATCH',
      headers: agent,
      body: JSON.stringify({ category: 'billing' }),
    });
    await reply(billing.id, 'marta', 'solved');
    const rated = await postJson(
      `${s.url}/api/my/tickets/${billing.id}/rating`,
      { score: 'good' },
      { Authorization: `Bearer ${billing.followUp.token}` },
    );
    expect(rated.status).to.equal(201);
    await reply((await open('La VPN no conecta')).id, 'luis');
    await open('Printer jammed');
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await s?.close();
  });

  async function signIn(page: Page, lang: 'es' | 'en') {
    const L = localeFor(lang);
    await page.goto(`${s.url}/reports?lang=${lang}`);
    await page.getByLabel(L.t('apiKey')).fill(KEYS.lead);
    await page.getByRole('button', { name: L.t('showReports') }).click();
    await page.locator('#kpis [data-kpi="Questions"]').waitFor();
  }

  const figure = (page: Page, name: string) => page.textContent(`#tickets-kpis [data-kpi="${name}"] dd`);

  for (const lang of ['es', 'en'] as const) {
    it(`shows the period's ticket figures, charts and table, with its CSV (${lang})`, async () => {
      const L = localeFor(lang);
      const context = await browser.newContext({ viewport: { width: 1360, height: 900 }, acceptDownloads: true });
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
      page.on('pageerror', (e) => problems.push(String(e)));
      try {
        await signIn(page, lang);
        expect(await page.isVisible('#tickets-h')).to.equal(false);
        await page.getByRole('tab', { name: L.t('tabTickets') }).click();
        await page.locator('#tickets-kpis [data-kpi="Created"]').waitFor();
        // The Deflection tab's panels and charts are out of sight.
        expect([await page.isVisible('#gaps-h'), await page.isVisible('#chart-trend')]).to.deep.equal([false, false]);
        expect(await page.textContent('#tickets-h')).to.equal(L.t('ticketsHeading'));
        if (lang === 'es') expect(await page.textContent('#tickets-h')).to.equal('Incidencias');
        // The page heading names the tab's reports, not the deflection ones.
        expect(await page.textContent('h1')).to.equal(lang === 'es' ? 'Informes de incidencias' : 'Ticket reports');

        expect(await figure(page, 'Created')).to.equal(L.number(3));
        expect(await figure(page, 'Solved')).to.equal(L.number(1));
        expect(await figure(page, 'Backlog')).to.equal(L.number(2));
        expect(await figure(page, 'Satisfied')).to.equal(L.percent(1));
        expect(await figure(page, 'First-contact resolution')).to.equal(L.percent(1));
        expect(await figure(page, 'SLA first response')).to.equal('—'); // no _sla.yml in this KB: nothing measured

        // Charts: today's bars (3 created, 1 solved) and the backlog, all under a day old.
        const today = new Date().toISOString().slice(0, 10);
        const bar = (series: string) =>
          page.getAttribute(`#tickets-volume rect[data-day="${today}"][data-series="${series}"]`, 'data-value');
        expect([await bar('created'), await bar('solved')]).to.deep.equal(['3', '1']);
        const under1d = page.locator('#tickets-ages g[data-age="backlogUnder1d"]');
        expect(await under1d.getAttribute('data-value')).to.equal('2');
        expect(await under1d.locator('text').first().textContent()).to.equal(L.t('ticketsAgeUnder1d'));

        // The table by category (the default), named in this language, then by agent.
        const cells = (group: string) => page.locator(`#tickets-table tr[data-group="${group}"] td`).allTextContents();
        expect((await cells('billing')).slice(0, 3)).to.deep.equal([L.number(1), L.number(1), L.number(0)]);
        expect(await page.textContent('#tickets-table tr[data-group="(uncategorised)"] th')).to.equal(
          L.t('csatUncategorised'),
        );
        await page.selectOption('#tickets-group', 'agent');
        await page.locator('#tickets-table tr[data-group="luis"]').waitFor();
        expect((await cells('luis')).slice(0, 3)).to.deep.equal([L.number(1), L.number(0), L.number(1)]);
        expect((await cells('(total)')).slice(0, 3)).to.deep.equal([L.number(3), L.number(1), L.number(2)]);

        const [download] = await Promise.all([
          page.waitForEvent('download'),
          page.getByRole('button', { name: L.t('csvTickets'), exact: true }).click(),
        ]);
        expect(download.suggestedFilename()).to.match(/^tickets-by-agent-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
        expect(problems, problems.join('\n')).to.deep.equal([]);
      } finally {
        await context.close();
      }
    });
  }

  it('switching the language rewords the tab in place, on the same figures', async () => {
    const [en, es] = [localeFor('en'), localeFor('es')];
    const context = await browser.newContext();
    const page = await context.newPage();
    try {
      await signIn(page, 'en');
      await page.getByRole('tab', { name: en.t('tabTickets') }).click();
      await page.locator('#tickets-kpis [data-kpi="Created"]').waitFor();
      expect(await page.textContent('#tickets-kpis [data-kpi="Backlog"] dt')).to.equal('Backlog');
      await page.selectOption('#lang', 'es');
      await page.waitForFunction(
        (label) => document.querySelector('#tickets-kpis [data-kpi="Backlog"] dt')?.textContent === label,
        es.t('ticketsBacklog'),
      );
      expect(await page.textContent('#tickets-h')).to.equal('Incidencias');
      expect(await page.isVisible('#gaps-h')).to.equal(false); // still on the Tickets tab
      expect(await page.textContent('h1')).to.equal('Informes de incidencias');
      expect(await figure(page, 'Created')).to.equal(es.number(3));
      expect(await page.locator('#tickets-ages g[data-age="backlogOver30d"] text').first().textContent()).to.equal(
        '30 días o más',
      );
      expect(await page.getAttribute('#tickets-ages svg', 'aria-label')).to.equal(es.t('ticketsAgesLabel'));
      expect(page.url()).to.contain('lang=es');
      // Back on the Deflection tab, the heading is the deflection reports' again.
      await page.getByRole('tab', { name: es.t('tabDeflection') }).click();
      expect(await page.textContent('h1')).to.equal('Informes de desvío');
    } finally {
      await context.close();
    }
  });
});
