import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../helpers/chromium.ts';
import { postJson, startTestServer, type TestServer } from '../helpers/server.ts';
import { smallKb } from './smallKb.ts';

const LEAD = 'lead-key-0123456789';

describe('dashboard: the phrasings panel', function () {
  this.timeout(120_000);
  let s: TestServer;
  let kb: { dir: string; cleanup: () => void };
  let browser: Browser;

  before(async () => {
    kb = smallKb();
    s = await startTestServer({ kbDir: kb.dir, env: { DEFLECT_API_KEYS: `lead=${LEAD}` } });
    // Two users resolve their question with the same article, one with a pick; a third says "No".
    for (const [question, user] of [
      ['I forgot my password yesterday', 'Ana Ruiz'],
      ['i forgot my password yesterday!', 'Ben Oak'],
    ] as const) {
      const a = await postJson(`${s.url}/api/ask`, { question, user: { id: user, name: user } });
      const picked = await postJson(`${s.url}/api/ask`, {
        conversationId: a.body.conversationId,
        question: 'Reset your password',
        articleId: 'reset-password',
        user: { id: user, name: user },
      });
      await postJson(`${s.url}/api/feedback`, {
        conversationId: picked.body.conversationId,
        articleId: 'reset-password',
        helpful: true,
        user: { id: user },
      });
    }
    const no = await postJson(`${s.url}/api/ask`, { question: 'paper stuck in the printer again' });
    await postJson(`${s.url}/api/feedback`, {
      conversationId: no.body.conversationId,
      articleId: 'printer-jam',
      helpful: false,
    });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await s?.close();
    kb?.cleanup();
  });

  for (const c of [
    {
      lang: 'en',
      heading: 'New phrasings',
      count: '“I forgot my password yesterday” (2)',
      how: 'picked and confirmed: 2',
    },
    {
      lang: 'es',
      heading: 'Redacciones nuevas',
      count: '«I forgot my password yesterday» (2)',
      how: 'elegido y confirmado: 2',
    },
  ]) {
    it(`lists the candidates per article with counts (${c.lang})`, async () => {
      const context = await browser.newContext({ locale: 'en-US' });
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('pageerror', (e) => problems.push(String(e)));
      await page.goto(`${s.url}/reports?lang=${c.lang}`);
      await page.fill('#key', LEAD);
      await page.click('#login button[type=submit]');
      await page.waitForSelector('#phrasings tbody tr[data-article]');
      expect(await page.textContent('#phrasings-h')).to.contain(c.heading);
      const rows = page.locator('#phrasings tbody tr');
      expect(await rows.count()).to.equal(1);
      const cells = await rows.first().locator('td').allTextContents();
      expect(cells[0]).to.contain('Reset your password');
      expect(cells[1]).to.equal('2');
      expect(cells[2]).to.equal(c.count);
      expect(cells[3]).to.equal(c.how);
      expect(problems, problems.join('\n')).to.deep.equal([]);
      await context.close();
    });
  }
});
