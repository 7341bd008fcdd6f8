import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import type { Lang } from '../../core/contracts/api.ts';
import { DASHBOARD_DIST } from '../../dashboard/build.ts';
import { localeFor } from '../../dashboard/src/i18n/index.ts';
import { launchChromium } from '../helpers/chromium.ts';
import { postJson, startTestServer, type TestServer } from '../helpers/server.ts';

const LEAD = 'lead-key-0123456789';

/**
 * Done when: the dashboard, as built by dashboard/build.ts and served by the
 * server, fills every panel — totals, the five charts, gaps, new phrasings,
 * article health, CSV downloads — in Spanish and in English, in that
 * language's words, without a console error.
 */
describe('the built dashboard: every panel, in Spanish and English', function () {
  this.timeout(120_000);
  let s: TestServer;
  let browser: Browser;

  before(async () => {
    s = await startTestServer({ env: { DEFLECT_API_KEYS: `lead=${LEAD}` } });
    const ask = async (question: string) => (await postJson(`${s.url}/api/ask`, { question })).body;
    const feedback = (r: { conversationId: string; answer: { articleId: string } }, helpful: boolean) =>
      postJson(`${s.url}/api/feedback`, { conversationId: r.conversationId, articleId: r.answer.articleId, helpful });
    // A confirmed answer (a new phrasing), an unhelpful one (article health), and questions nothing fits (gaps).
    const password = await ask('I forgot my password yesterday');
    expect(password.action).to.equal('answer');
    await feedback(password, true);
    const laptop = await ask('my laptop screen is cracked');
    expect(laptop.action).to.equal('answer');
    await feedback(laptop, false);
    expect((await ask('is there bike parking at the office?')).action).to.equal('ticket');
    expect((await ask('¿dónde puedo aparcar la bici en la oficina?')).action).to.equal('ticket');
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await s?.close();
  });

  it('the page runs the script dashboard/build.ts wrote, served under /dashboard/', async () => {
    const html = await (await fetch(`${s.url}/reports`)).text();
    expect(html).to.contain('<script src="/dashboard/reports.js" defer></script>');
    const script = await fetch(`${s.url}/dashboard/reports.js`);
    expect(script.status).to.equal(200);
    expect(script.headers.get('content-type')).to.match(/javascript/);
    expect(await script.text()).to.equal(readFileSync(path.join(DASHBOARD_DIST, 'reports.js'), 'utf8'));
    const css = await fetch(`${s.url}/dashboard/reports.css`);
    expect(css.headers.get('content-type')).to.match(/^text\/css/);
  });

  for (const lang of ['es', 'en'] as const) {
    it(`renders every panel in ${lang === 'es' ? 'Spanish' : 'English'} without console errors`, async () => {
      const L = localeFor(lang);
      const context = await browser.newContext({ viewport: { width: 1360, height: 900 }, acceptDownloads: true });
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
      page.on('pageerror', (e) => problems.push(String(e)));
      try {
        await page.goto(`${s.url}/reports?lang=${lang}`);
        await page.getByLabel(L.t('apiKey')).fill(LEAD);
        await page.getByRole('button', { name: L.t('showReports') }).click();
        await page.waitForFunction(
          (updated) => document.getElementById('status')?.textContent?.startsWith(updated),
          L.t('updated', { time: '' }).trim(),
        );

        expect(await page.getAttribute('html', 'lang')).to.equal(lang);
        expect(await page.textContent('h1')).to.equal(L.t('heading'));
        expect(await wordless(page), 'elements the strings left empty').to.deep.equal([]);

        // Totals: seven figures under their words.
        expect(await page.locator('#kpis dt').allTextContents()).to.deep.equal(
          (
            [
              'kpiQuestions',
              'kpiDeflectionRate',
              'kpiConfirmed',
              'kpiSelfServed',
              'kpiEscalated',
              'kpiTickets',
              'kpiUnanswered',
            ] as const
          ).map((k) => L.t(k)),
        );
        expect(await page.textContent('[data-kpi="Questions"] dd')).to.equal(L.number(4));
        // The two answered questions without a ticket may still escalate: their 7-day window is open.
        expect(await page.textContent('#definitions')).to.equal(
          `${L.t('definitions', { n: 7 })} ${L.t('windowOpen', { n: 2 })}`,
        );

        // Charts: five images drawn by the server in this language.
        for (const chart of ['trend', 'volume', 'tags', 'langs', 'articles']) {
          await page.waitForFunction((id) => {
            const img = document.getElementById(id) as HTMLImageElement | null;
            return !!img && img.complete && img.naturalWidth > 0;
          }, `chart-${chart}`);
        }
        const langsChart = decodeURIComponent((await page.getAttribute('#chart-langs', 'src')) ?? '');
        expect(langsChart).to.contain(lang === 'es' ? 'Preguntas por idioma' : 'Questions by language');

        // Gaps: bike parking in English and in Spanish (unanswered), the cracked screen (not helpful), each with its draft button.
        const gaps = page.locator('#gaps tbody tr[data-gap]');
        expect(await gaps.count()).to.equal(3);
        expect(await gaps.getByRole('button', { name: L.t('makeDraft') }).count()).to.equal(3);
        const gapText = await page.locator('#gaps tbody').textContent();
        expect(gapText)
          .to.contain('is there bike parking at the office?')
          .and.contain('my laptop screen is cracked')
          .and.contain(L.t('whyUnanswered', { n: 1 }))
          .and.contain(L.t('whyNotHelpful', { n: 1 }));

        // New phrasings: the confirmed password question, how it was resolved.
        const phrasing = page.locator('#phrasings tbody tr[data-article]');
        expect(await phrasing.count()).to.equal(1);
        expect(await phrasing.textContent())
          .to.contain(L.t('phrasingCount', { text: 'I forgot my password yesterday', n: L.number(1) }))
          .and.contain(L.t('srcHelpful', { n: 1 }));

        // Article health: the laptop article that did not help, and the Wi-Fi one whose review date (2026-06-30) has passed.
        const health = page.locator('#health tbody tr');
        expect(await health.count()).to.equal(2);
        const laptopRow = health.filter({ hasText: 'Laptop screen broken or damaged' });
        expect(await laptopRow.locator('td.bad').textContent()).to.equal(L.number(1));
        const wifiRow = health.filter({ hasText: 'Office Wi-Fi for employees' });
        expect(await wifiRow.locator('td.overdue').textContent()).to.equal(
          L.t('overdue', { date: L.day('2026-06-30') }),
        );

        // Where listed questions would help most: articles of the served KB, by title, from its calibration.
        const weakest = page.locator('#weakest li[data-article]');
        expect(await weakest.count()).to.be.within(1, 10);
        const first = await weakest.first().getAttribute('data-article');
        const article = await (await fetch(`${s.url}/api/articles/${first}`)).json();
        expect(await weakest.first().textContent()).to.equal(article.title);

        // Beside it, the KB's estimated self-service coverage from the same index build, in this language's words.
        const { coverage } = await (await fetch(`${s.url}/healthz`)).json();
        expect(await page.getAttribute('#coverage', 'data-answered')).to.equal(String(coverage.answered));
        expect(await page.textContent('#coverage')).to.equal(
          L.t('coverageFigure', {
            answered: L.percent(coverage.answered),
            offered: L.percent(coverage.offered),
            probes: L.number(coverage.probes),
            articles: L.number(coverage.articles),
            date: L.day(coverage.builtAt.slice(0, 10)),
          }),
        );
        expect(await page.locator('[data-i18n="coverageHelp"]').textContent()).to.equal(L.t('coverageHelp'));

        // Downloads: the buttons in this language, and one CSV saved under the period's name.
        expect(await page.locator('.downloads button').allTextContents()).to.deep.equal(
          (['csvDeflectionDay', 'csvDeflectionTag', 'csvArticles', 'csvGaps'] as const).map((k) => L.t(k)),
        );
        const [download] = await Promise.all([
          page.waitForEvent('download'),
          page.getByRole('button', { name: L.t('csvGaps'), exact: true }).click(),
        ]);
        expect(download.suggestedFilename()).to.match(/^gaps-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);

        expect(problems, problems.join('\n')).to.deep.equal([]);
      } finally {
        await context.close();
      }
    });
  }

  it('speaks each language in its own words: no panel heading is the same in both', () => {
    const [es, en] = (['es', 'en'] as Lang[]).map(localeFor);
    for (const key of [
      'heading',
      'gapsHeading',
      'phrasingsHeading',
      'healthHeading',
      'weakestHeading',
      'csvHeading',
      'csatHeading',
    ] as const) {
      expect(es!.t(key), key).not.to.equal(en!.t(key));
    }
  });
});

/** Elements that should carry words (data-i18n, alt, aria-label) but are empty, or still show a {placeholder}. */
async function wordless(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const bad: string[] = [];
    for (const e of document.querySelectorAll<HTMLElement>('[data-i18n]'))
      if (!e.textContent?.trim()) bad.push(`text of ${e.dataset.i18n}`);
    for (const e of document.querySelectorAll<HTMLImageElement>('[data-i18n-alt]'))
      if (!e.alt.trim()) bad.push(`alt of ${e.dataset.i18nAlt}`);
    for (const e of document.querySelectorAll<HTMLElement>('[data-i18n-label]'))
      if (!e.getAttribute('aria-label')?.trim()) bad.push(`label of ${e.dataset.i18nLabel}`);
    if (/\{\w+\}/.test(document.body.innerText)) bad.push('a {placeholder} left in the page');
    return bad;
  });
}
