import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../helpers/chromium.ts';
import { buildArticle, writeKb } from '../helpers/articles.ts';
import { postJson, startTestServer, type TestServer } from '../helpers/server.ts';
import { tempDir } from '../helpers/tempDir.ts';

const KEY = 'lead-key-0123456789';
/** Every payload sets window.__xss or opens a dialog if it ever runs. */
const PAYLOADS = [
  '<script>window.__xss=1</script>',
  '<img src=x onerror="window.__xss=2">',
  '<svg onload="window.__xss=3"></svg>',
  '[click](javascript:window.__xss=4)',
  '[click](JaVaScRiPt:window.__xss=5)',
  '[click](&#106;avascript:window.__xss=6)',
  '[click](java\tscript:window.__xss=7)',
  '[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '[click](vbscript:msgbox(1))',
  '<a id="Deflect" name="Deflect">clobber</a><form id="location"><input name="href"></form>',
  '<iframe src="javascript:window.__xss=8"></iframe>',
];
const HOSTILE = PAYLOADS.join('\n\n');

/** Article Markdown and user text render as inert text everywhere a person reads them (pages, dashboard, ticket views). */
describe('hostile Markdown and user text in the browser', function () {
  this.timeout(120_000);
  let s: TestServer;
  let kb: ReturnType<typeof tempDir>;
  let browser: Browser;

  before(async () => {
    kb = tempDir();
    writeKb(kb.dir, {
      'hostile.md': buildArticle(
        {
          id: 'hostile',
          title: 'Printer <script>window.__xss=9</script> setup',
          tags: ['<b>tag</b>'],
          questions: ['set up the office printer'],
          answer: HOSTILE,
        },
        `# Printer setup\n\n${HOSTILE}\n`,
      ),
      'plain.md': buildArticle({ id: 'plain', title: 'Reset your password', questions: ['I forgot my password'] }),
    });
    s = await startTestServer({ kbDir: kb.dir, env: { DEFLECT_API_KEYS: `lead=${KEY},agent=agent-key-0123456789` } });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await s?.close();
    kb?.cleanup();
  });

  async function open(url: string, setup?: (page: Page) => Promise<void>): Promise<{ page: Page; dialogs: string[] }> {
    const page = await (await browser.newContext()).newPage();
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(url);
    await setup?.(page);
    return { page, dialogs };
  }

  async function expectInert(page: Page, dialogs: string[]) {
    // A deliberate pause, not a wait for an event: this proves that nothing happens, so there is nothing to poll for;
    // it gives an injected handler or timer (onerror, onload, a script) time to fire before we look for its traces.
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).to.equal(undefined);
    expect(dialogs).to.deep.equal([]);
    const dangerous = await page.evaluate(() =>
      [...document.querySelectorAll('a[href], iframe, script:not([src]), [onerror], [onload]')]
        .map((e) => (e as HTMLElement).outerHTML)
        .filter((html) => /href="\s*(javascript|vbscript|data):|<iframe|<script>|onerror|onload/i.test(html)),
    );
    expect(dangerous).to.deep.equal([]);
    expect(
      await page.evaluate(
        () =>
          typeof (window as unknown as { location: unknown }).location === 'object' &&
          document.getElementById('location') === null,
      ),
    ).to.equal(true);
  }

  it('the article page shows the payloads as text', async () => {
    const { page, dialogs } = await open(`${s.url}/articles/hostile`);
    await expectInert(page, dialogs);
    expect(await page.textContent('body')).to.contain('<script>window.__xss=1</script>');
  });

  it('the answer card HTML from the API is inert', async () => {
    const r = await postJson(`${s.url}/api/ask`, { question: 'set up the office printer' });
    expect(r.body.answer?.articleId).to.equal('hostile');
    const { page, dialogs } = await open(`${s.url}/assets/article.css`, async (p) => {
      await p.setContent(`<html><body><div id="card">${r.body.answer.html}</div></body></html>`);
    });
    await expectInert(page, dialogs);
  });

  it('the dashboard shows hostile questions as text (tickets keep them as JSON data)', async () => {
    for (const p of PAYLOADS.slice(0, 3)) {
      const ask = await postJson(`${s.url}/api/ask`, { question: `${p} where is the bike parking` });
      await postJson(`${s.url}/api/tickets`, {
        conversationId: ask.body.conversationId,
        email: 'a@example.com',
        name: p.slice(0, 100),
        description: p,
      });
    }
    const { page, dialogs } = await open(`${s.url}/reports`, async (p) => {
      await p.fill('#key', KEY);
      await p.click('#login button[type=submit]');
      await p.waitForSelector('#gaps tbody tr');
    });
    await expectInert(page, dialogs);
    expect(await page.textContent('#gaps')).to.contain('<script>window.__xss=1</script>');
  });
});
