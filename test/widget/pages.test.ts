import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { launchChromium, openPage, screenshot } from './browser.ts';

describe('widget pages served by Deflect', function () {
  this.timeout(90000);
  let browser: Browser;
  let server: TestServer;

  before(async () => {
    browser = await launchChromium();
    server = await startTestServer();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows the Northwind Outfitters demo with a working widget under the server CSP', async () => {
    const { page, problems, context } = await openPage(browser);
    const response = await page.goto(server.url + '/');
    expect(response!.headers()['content-security-policy']).to.contain("script-src 'self'");
    expect(await page.locator('h1').innerText()).to.contain('Gear for the long way round');
    await page.locator('.d-launcher').waitFor();
    await screenshot(page, 'demo-home');
    await page.getByRole('button', { name: 'How do I set up the VPN?' }).click();
    await page.locator('.d-card').waitFor();
    expect(await page.locator('.d-title').innerText()).to.equal('Northwind help desk');
    await screenshot(page, 'demo-answer');
    expect(problems).to.deep.equal([]);
    await context.close();
  });

  it('fits the demo and the widget on a 360 px phone', async () => {
    const { page, problems, context } = await openPage(browser, { width: 360, height: 740 });
    await page.goto(server.url + '/');
    await page.locator('.d-launcher').waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).to.be.at.most(360);
    await screenshot(page, 'demo-mobile');
    await page.locator('.d-launcher').click();
    await page.locator('.d-input').waitFor();
    await screenshot(page, 'demo-mobile-open');
    expect(problems).to.deep.equal([]);
    await context.close();
  });

  it('lets a site owner try the options and copy the snippet in the playground', async () => {
    const { page, problems, context } = await openPage(browser);
    await page.goto(server.url + '/widget/playground');
    await page.locator('.d-launcher').waitFor();
    await page.getByLabel('Language').selectOption('es');
    await page.getByLabel('Launcher label').fill('Soporte');
    await page.getByLabel('Position').selectOption('left');
    await page.locator('.d-launcher', { hasText: 'Soporte' }).waitFor();
    const snippet = await page.locator('#pg-snippet').innerText();
    expect(snippet).to.contain(`src="${server.url}/widget.js"`);
    expect(snippet).to.contain(`data-deflect-url="${server.url}"`);
    expect(snippet).to.contain('data-lang="es"');
    expect(snippet).to.contain('data-label="Soporte"');
    expect(snippet).to.contain('data-position="left"');
    expect((await page.locator('.d-launcher').boundingBox())!.x).to.be.below(40);
    await page.locator('.d-launcher').click();
    expect(await page.locator('.d-title').innerText()).to.equal('¿En qué podemos ayudarte?');
    await screenshot(page, 'playground');
    expect(problems).to.deep.equal([]);
    await context.close();
  });
});
