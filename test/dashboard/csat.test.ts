import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import { localeFor } from '../../dashboard/src/i18n/index.ts';
import { launchChromium } from '../helpers/chromium.ts';
import { postJson, startTestServer, type TestServer } from '../helpers/server.ts';

const KEYS = { lead: 'lead-key-0123456789', agent: 'agent-key-0123456789' };
// A customer's comment that would run a script if it were written as HTML.
const HOSTILE = '<img src=x onerror="window.__injected=1">¡Tardaron <b>días</b>!';

/**
 * Done when: the satisfaction panel of /reports shows, for the dashboard's
 * period and in the page's language, the tickets' score, responses of offered
 * and response rate; good and bad per group, regrouped by agent on request,
 * a group under five responses without a score; the bot's answers apart; the
 * latest comments as text (never HTML); and a CSV of the grouping chosen.
 */
describe('the dashboard: the satisfaction panel', function () {
  this.timeout(120_000);
  let s: TestServer;
  let browser: Browser;

  before(async () => {
    s = await startTestServer({ env: { DEFLECT_API_KEYS: `lead=${KEYS.lead},agent=${KEYS.agent}` } });
    // marta: five rated tickets (4 good, 1 bad), one solved but never rated; luis: one bad rating with a comment.
    const ratings: Array<[string, 'good' | 'bad' | null, string | undefined]> = [
      ['marta', 'good', 'Muy rápido, gracias'],
      ['marta', 'good', undefined],
      ['marta', 'good', undefined],
      ['marta', 'good', undefined],
      ['marta', 'bad', undefined],
      ['marta', null, undefined],
      ['luis', 'bad', HOSTILE],
    ];
    for (const [i, [assignee, score, comment]] of ratings.entries()) {
      const created = await postJson(`${s.url}/api/tickets`, {
        email: `cliente${i}@example.com`,
        description: `No me llega la factura ${i}`,
      });
      expect(created.status).to.equal(201);
      const solved = await fetch(`${s.url}/api/tickets/${created.body.id}`, {
        method: 'PATCH',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${KEYS.agent}` },
        body: JSON.stringify({ status: 'solved', assignee }),
      });
      expect(solved.status).to.equal(200);
      if (!score) continue;
      const rated = await postJson(
        `${s.url}/api/my/tickets/${created.body.id}/rating`,
        { score, ...(comment ? { comment } : {}) },
        { Authorization: `Bearer ${created.body.followUp.token}` },
      );
      expect(rated.status).to.equal(201);
    }
    // The bot's side: one answer shown and judged helpful.
    const ask = await postJson(`${s.url}/api/ask`, { question: 'I forgot my password yesterday' });
    expect(ask.body.action).to.equal('answer');
    await postJson(`${s.url}/api/feedback`, {
      conversationId: ask.body.conversationId,
      articleId: ask.body.answer.articleId,
      helpful: true,
    });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await s?.close();
  });

  for (const lang of ['es', 'en'] as const) {
    it(`shows tickets and bot answers apart, regroups by agent, comments as text (${lang})`, async () => {
      const L = localeFor(lang);
      const context = await browser.newContext({ viewport: { width: 1360, height: 900 }, acceptDownloads: true });
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
      page.on('pageerror', (e) => problems.push(String(e)));
      try {
        await page.goto(`${s.url}/reports?lang=${lang}`);
        await page.getByLabel(L.t('apiKey')).fill(KEYS.lead);
        await page.getByRole('button', { name: L.t('showReports') }).click();
        await page.waitForFunction(
          (updated) => document.getElementById('status')?.textContent?.startsWith(updated),
          L.t('updated', { time: '' }).trim(),
        );

        expect(await page.textContent('#csat-h')).to.equal(L.t('csatHeading'));
        if (lang === 'es') expect(await page.textContent('#csat-h')).to.equal('Satisfacción');
        const figure = async (side: string, name: string) => page.textContent(`#csat-${side} [data-kpi="${name}"] dd`);
        expect(await page.locator('#csat-tickets dt').allTextContents()).to.deep.equal(
          (['csatScore', 'csatResponses', 'csatResponseRate'] as const).map((k) => L.t(k)),
        );
        // Tickets: 4 good of 6 responses, 6 of the 7 solved tickets rated.
        expect(await figure('tickets', 'Score')).to.equal(L.percent(4 / 6));
        expect(await figure('tickets', 'Responses')).to.equal(L.t('csatResponsesOf', { responded: 6, offered: 7 }));
        expect(await figure('tickets', 'Response rate')).to.equal(L.percent(6 / 7));
        // By category (the default): no ticket has one, so all are in one group, named in this language.
        const uncategorised = page.locator('#csat-tickets li[data-group="(uncategorised)"]');
        expect(await uncategorised.locator('.label').textContent()).to.equal(L.t('csatUncategorised'));
        expect(await uncategorised.locator('.score').textContent()).to.equal(L.percent(4 / 6));
        // Bot answers, apart: one shown, one "helpful".
        expect(await figure('answers', 'Score')).to.equal(L.percent(1));
        expect(await figure('answers', 'Responses')).to.equal(L.t('csatResponsesOf', { responded: 1, offered: 1 }));

        // Regrouped by agent: marta has a score, luis (one response) has none.
        await page.selectOption('#csat-group', 'agent');
        const marta = page.locator('#csat-tickets li[data-group="marta"]');
        await marta.waitFor();
        expect(await marta.locator('.score').textContent()).to.equal(L.percent(0.8));
        expect(await marta.locator('.counts').textContent()).to.equal(L.t('csatGoodBad', { good: 4, bad: 1 }));
        const luis = page.locator('#csat-tickets li[data-group="luis"]');
        expect(await luis.locator('.score').textContent()).to.equal(L.t('csatTooFew'));
        expect(await page.locator('#csat-answers li[data-group="(bot)"] .label').textContent()).to.equal(
          L.t('csatBot'),
        );

        // Comments, newest first, as the customer wrote them: the markup is text, nothing ran.
        const comments = page.locator('#csat-comments li');
        expect(await comments.count()).to.equal(2);
        expect(await comments.first().locator('q').textContent()).to.equal(HOSTILE);
        expect(await comments.first().locator('.verdict').textContent()).to.equal(L.t('csatBad'));
        expect(await page.locator('#csat-comments img, #csat-comments b').count()).to.equal(0);
        expect(await page.evaluate(() => (window as { __injected?: number }).__injected)).to.equal(undefined);
        expect(await comments.nth(1).locator('q').textContent()).to.equal('Muy rápido, gracias');

        // The CSV of the grouping on screen.
        const [download] = await Promise.all([
          page.waitForEvent('download'),
          page.getByRole('button', { name: L.t('csvCsat'), exact: true }).click(),
        ]);
        expect(download.suggestedFilename()).to.match(/^csat-by-agent-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);

        expect(problems, problems.join('\n')).to.deep.equal([]);
      } finally {
        await context.close();
      }
    });
  }

  it('follows the dashboard’s period: a period before the ratings shows none', async () => {
    const L = localeFor('es');
    const context = await browser.newContext();
    const page = await context.newPage();
    try {
      await page.goto(`${s.url}/reports?lang=es`);
      await page.getByLabel(L.t('apiKey')).fill(KEYS.lead);
      await page.getByRole('button', { name: L.t('showReports') }).click();
      await page.locator('#csat-tickets [data-kpi="Score"]').waitFor();
      await page.fill('input[name="from"]', '2020-01-01');
      await page.fill('input[name="to"]', '2020-01-31');
      await page.getByRole('button', { name: L.t('update') }).click();
      await page.locator('#csat-tickets li', { hasText: L.t('csatNoRatings') }).waitFor();
      expect(await page.textContent('#csat-tickets [data-kpi="Responses"] dd')).to.equal(
        L.t('csatResponsesOf', { responded: 0, offered: 0 }),
      );
      expect(await page.textContent('#csat-comments')).to.equal(L.t('csatNoComments'));
    } finally {
      await context.close();
    }
  });
});
