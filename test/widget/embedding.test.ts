import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import {
  askWidget,
  hostPage,
  launchChromium,
  openPage,
  openWidget,
  screenshot,
  startHostSite,
  type HostSite,
} from './browser.ts';
import { startFakeApi, type FakeApi } from './fakeApi.ts';

const LOGO =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

describe('widget embedding', function () {
  this.timeout(60000);
  let browser: Browser;
  let api: FakeApi;
  let site: HostSite;

  before(async () => {
    browser = await launchChromium();
    api = await startFakeApi();
    const themed = {
      'data-color': '#1f6f43',
      'data-position': 'left',
      'data-label': 'Need help?',
      'data-title': 'Northwind support',
      'data-greeting': 'Hello from Northwind!',
      'data-logo': LOGO,
    };
    site = await startHostSite(api.url, {
      '/': hostPage(api.url),
      '/next': hostPage(api.url),
      '/es': hostPage(api.url, { lang: 'es' }),
      '/es-forced-en': hostPage(api.url, { lang: 'es', attrs: { 'data-lang': 'en' } }),
      '/nolang': hostPage(api.url, { lang: '' }),
      '/themed': hostPage(api.url, { attrs: themed }),
      '/css-vars': hostPage(api.url, { head: '<link rel="stylesheet" href="/vars.css">' }),
      '/vars.css': 'deflect-widget { --deflect-accent: #7c2d12; --deflect-offset-bottom: 80px; }',
      '/twice': hostPage(api.url, {
        body: `<script src="${api.url}/widget.js" data-deflect-url="${api.url}" async></script>`,
      }),
    });
  });
  after(async () => {
    await browser?.close();
    await site?.close();
    await api?.close();
  });

  it('offers Deflect.open/close/ask/setUser/on/destroy/init to the page', async () => {
    const { page, problems, context } = await openPage(browser);
    await page.goto(site.url + '/');
    await page.waitForFunction(() => !!window.Deflect && !!document.querySelector('deflect-widget'));
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { seen: string[] }).seen = seen;
      for (const e of ['open', 'close', 'answer', 'message', 'ticket'] as const)
        window.Deflect!.on(e, () => seen.push(e));
      window.Deflect!.setUser({ id: 'u-1', email: 'ana@example.com', name: 'Ana' });
      window.Deflect!.ask('I forgot my password');
    });
    await page.locator('.d-card').waitFor();
    const ask = api.requests.filter((r) => r.path === '/api/ask').at(-1)!;
    expect(ask.body).to.deep.include({
      question: 'I forgot my password',
      user: { id: 'u-1', email: 'ana@example.com', name: 'Ana' },
    });
    await page.locator('.d-human').click();
    expect(await page.getByLabel('E-mail').inputValue(), 'setUser pre-fills the ticket form').to.equal(
      'ana@example.com',
    );
    expect(await page.getByLabel('Name', { exact: true }).inputValue()).to.equal('Ana');
    expect(await page.getByLabel(/Describe/).inputValue(), 'the description comes from the conversation').to.equal(
      'I forgot my password',
    );
    await page.evaluate(() => window.Deflect!.close());
    expect(await page.locator('.d-panel').isVisible()).to.equal(false);
    await page.evaluate(() => window.Deflect!.open());
    expect(await page.locator('.d-panel').isVisible()).to.equal(true);
    const seen = await page.evaluate(() => (window as unknown as { seen: string[] }).seen);
    expect(seen).to.include.members(['open', 'answer', 'message', 'close']);
    await page.evaluate(() => window.Deflect!.destroy());
    expect(await page.locator('deflect-widget').count()).to.equal(0);
    await page.evaluate(() => window.Deflect!.init({ lang: 'es' }));
    // The conversation was open when destroyed, so it comes back open, now in Spanish.
    expect(await page.locator('.d-label').textContent()).to.equal('Ayuda');
    expect(await page.locator('.d-title').innerText()).to.equal('¿En qué podemos ayudarte?');
    expect(problems).to.deep.equal([]);
    await context.close();
  });

  it('keeps the conversation across a page navigation, reusing the conversation id, and can restart it', async () => {
    const { page, context } = await openPage(browser);
    await page.goto(site.url + '/');
    await openWidget(page);
    await askWidget(page, 'I forgot my password');
    await page.locator('.d-card').waitFor();
    await page.locator('#page-link').click();
    await page.waitForURL(/\/next$/);
    await page.locator('.d-card').waitFor();
    expect(await page.locator('.d-panel').isVisible(), 'the panel is still open').to.equal(true);
    expect(await page.locator('.d-user').innerText()).to.contain('I forgot my password');
    await screenshot(page, 'after-navigation');
    await askWidget(page, 'how do I set up the VPN?');
    await page.locator('.d-card').nth(1).waitFor();
    const asks = api.requests
      .filter((r) => r.path === '/api/ask')
      .slice(-2)
      .map((r) => (r.body as { conversationId?: string }).conversationId);
    expect(asks[1]).to.be.a('string').and.equal('c-fake-1');
    await page.getByRole('button', { name: 'Start over' }).click();
    expect(await page.locator('.d-msg').count(), 'only the greeting is left').to.equal(1);
    await page.reload();
    await page.locator('.d-panel').waitFor();
    expect(await page.locator('.d-msg').count()).to.equal(1);
    await askWidget(page, 'I forgot my password');
    await page.locator('.d-card').waitFor();
    expect(
      (api.requests.filter((r) => r.path === '/api/ask').at(-1)!.body as { conversationId?: string }).conversationId,
      'a restart starts a new conversation',
    ).to.equal(undefined);
    await context.close();
  });

  it("speaks the page's language, unless the snippet says otherwise, else the browser's", async () => {
    const label = async (path: string, locale = 'en-US') => {
      const { page, context } = await openPage(browser, { locale });
      await page.goto(site.url + path);
      const text = await page.locator('.d-launcher').innerText();
      await context.close();
      return text;
    };
    expect(await label('/es')).to.equal('Ayuda');
    expect(await label('/es-forced-en')).to.equal('Help');
    expect(await label('/nolang', 'es-ES')).to.equal('Ayuda');
    expect(await label('/nolang', 'de-DE')).to.equal('Help');
  });

  it('takes colour, position, launcher label, title, greeting and logo from the snippet', async () => {
    const { page, problems, context } = await openPage(browser);
    await page.goto(site.url + '/themed');
    const launcher = page.locator('.d-launcher');
    expect(await launcher.innerText()).to.equal('Need help?');
    expect(await launcher.evaluate((el) => getComputedStyle(el).backgroundColor)).to.equal('rgb(31, 111, 67)');
    expect((await launcher.boundingBox())!.x).to.be.below(40);
    await screenshot(page, 'themed-closed');
    await openWidget(page);
    expect(await page.locator('.d-title').innerText()).to.equal('Northwind support');
    expect(await page.locator('.d-msg').first().innerText()).to.contain('Hello from Northwind!');
    expect(await page.locator('img.d-logo').getAttribute('src')).to.equal(LOGO);
    await screenshot(page, 'themed-open');
    expect(problems).to.deep.equal([]);
    await context.close();
  });

  it('lets the page theme it with --deflect-* custom properties', async () => {
    const { page, context } = await openPage(browser);
    await page.goto(site.url + '/css-vars');
    const launcher = page.locator('.d-launcher');
    await launcher.waitFor();
    expect(await launcher.evaluate((el) => getComputedStyle(el).backgroundColor)).to.equal('rgb(124, 45, 18)');
    expect(await launcher.evaluate((el) => getComputedStyle(el).bottom)).to.equal('80px');
    await context.close();
  });

  it('says so when the best answer is only in another language', async () => {
    const { page, context } = await openPage(browser);
    await page.goto(site.url + '/es');
    await openWidget(page);
    await askWidget(page, 'añadir impresora');
    await page.locator('.d-card').waitFor();
    expect(await page.locator('.d-notice').innerText()).to.equal('Esta respuesta solo está disponible en otro idioma.');
    expect(
      await page.locator('.d-card').getAttribute('lang'),
      'screen readers read the card in its own language',
    ).to.equal('en');
    await context.close();
  });

  it('creates one widget when the snippet is pasted twice', async () => {
    const { page, context } = await openPage(browser);
    await page.goto(site.url + '/twice');
    await page.locator('.d-launcher').waitFor();
    await page.waitForLoadState('networkidle');
    expect(await page.locator('deflect-widget').count()).to.equal(1);
    await context.close();
  });
});
