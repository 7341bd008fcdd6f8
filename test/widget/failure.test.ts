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

/** Nothing that looks like a stack trace or raw error may reach the panel. */
const RAW_ERROR = /(Error:|TypeError|\bat .+:\d+|undefined|null|\[object|internal|500)/;

describe('widget when the server fails', function () {
  this.timeout(60000);
  let browser: Browser;
  let api: FakeApi;
  let site: HostSite;

  before(async () => {
    browser = await launchChromium();
    api = await startFakeApi();
    site = await startHostSite(api.url, { '/': hostPage(api.url) });
  });
  after(async () => {
    await browser?.close();
    await site?.close();
    await api?.close();
  });
  beforeEach(() => api.setMode('ok'));

  for (const { mode, title, says, shot } of [
    {
      mode: 'error500',
      title: 'shows a friendly retry on a 500, and the retry gets the answer',
      says: /Please try again/,
      shot: 'error-500',
    },
    // A rate limit is not a fault: the user is asking too fast, and is told so.
    {
      mode: 'rateLimited',
      title: 'tells a user who asks too fast (429) to wait, not that something broke, and the retry gets the answer',
      says: /^(?!.*went wrong).*Wait a few seconds/s,
      shot: 'error-429',
    },
  ] as const) {
    it(title, async () => {
      const { page, problems, context } = await openPage(browser);
      await page.goto(site.url + '/');
      await openWidget(page);
      api.setMode(mode);
      await askWidget(page, 'I forgot my password');
      const error = page.locator('.d-error');
      await error.waitFor();
      expect(await error.innerText()).to.match(says);
      expect(await page.locator('.d-panel').innerText()).not.to.match(RAW_ERROR);
      await screenshot(page, shot);
      api.setMode('ok');
      await error.locator('button').click();
      await page.locator('.d-card').waitFor();
      expect(await page.locator('.d-card-title').innerText()).to.equal('Reset your password');
      expect(await page.locator('.d-error button').count(), 'the retry button is spent').to.equal(0);
      expect(problems).to.deep.equal([]);
      await context.close();
    });
  }

  it('explains a network failure (server down) and keeps the panel usable', async () => {
    const { page, context } = await openPage(browser);
    await page.goto(site.url + '/');
    await openWidget(page);
    api.setMode('down');
    await askWidget(page, 'I forgot my password');
    await page.locator('.d-error').waitFor();
    expect(await page.locator('.d-error').innerText()).to.contain('Check your connection');
    expect(await page.locator('.d-panel').innerText()).not.to.match(RAW_ERROR);
    await screenshot(page, 'error-network');
    expect(await page.locator('.d-input').isEnabled()).to.equal(true);
    api.setMode('ok');
    await page.locator('.d-error button').click();
    await page.locator('.d-card').waitFor();
    await context.close();
  });

  it('keeps the ticket form and offers a retry when creating the ticket fails', async () => {
    const { page, context } = await openPage(browser);
    await page.goto(site.url + '/');
    await openWidget(page);
    await page.locator('.d-human').click();
    await page.getByLabel('E-mail').fill('ana@example.com');
    await page.getByLabel('Name', { exact: true }).fill('Ana');
    api.setMode('error500');
    await page.getByRole('button', { name: 'Send request' }).click();
    const alert = page.locator('.d-form-error');
    await alert.filter({ hasText: 'try again' }).waitFor();
    expect(await page.getByLabel('E-mail').inputValue()).to.equal('ana@example.com');
    api.setMode('ok');
    await page.getByRole('button', { name: 'Send request' }).click();
    await page.locator('.d-success').waitFor();
    expect(await page.locator('.d-success').innerText()).to.match(/T-\d{6}/);
    await context.close();
  });

  it('tells the user when the widget itself cannot be loaded, and loads it on the next try', async () => {
    const { page, problems, context } = await openPage(browser);
    await page.goto(site.url + '/');
    await page.locator('.d-launcher').waitFor();
    // The page already has widget.js; the server then goes away before the panel is needed.
    await page.route('**/widget/widget-app.js*', (route) => route.abort());
    await page.locator('.d-launcher').click();
    const status = page.locator('.d-status');
    await status.filter({ hasText: 'unavailable' }).waitFor();
    expect(await page.locator('.d-launcher').getAttribute('aria-expanded')).to.equal('false');
    await screenshot(page, 'error-load');
    await page.unroute('**/widget/widget-app.js*');
    await openWidget(page);
    expect(await status.innerText()).to.equal('');
    expect(problems).to.deep.equal([]);
    await context.close();
  });

  it('leaves the host page working when the server is down from the start', async () => {
    const down = await startHostSite('http://127.0.0.1:9', { '/': hostPage('http://127.0.0.1:9') });
    const { page, problems, context } = await openPage(browser);
    await page.goto(down.url + '/');
    await page.locator('#page-button').click();
    expect(await page.locator('deflect-widget').count()).to.equal(0);
    expect(problems).to.deep.equal([]);
    await context.close();
    await down.close();
  });
});
