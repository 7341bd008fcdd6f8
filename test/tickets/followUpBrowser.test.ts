import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../helpers/chromium.ts';
import { postJson, startTestServer, type TestServer } from '../helpers/server.ts';

const AGENT = 'agent-key-0123456789';

describe('the follow-up page in Chromium with JavaScript off', function () {
  this.timeout(90_000);
  let s: TestServer;
  let browser: Browser;

  before(async () => {
    s = await startTestServer({ env: { DEFLECT_API_KEYS: `agent=${AGENT}` } });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await s?.close();
  });

  it('a customer reads the agent’s reply, answers with the form, and the ticket opens again', async () => {
    const created = await postJson(`${s.url}/api/tickets`, {
      email: 'ana@example.com',
      description: 'Screen flickers',
    });
    const { id, followUp } = created.body as { id: string; followUp: { url: string } };
    await postJson(
      `${s.url}/api/tickets/${id}/messages`,
      { text: 'Which model is it?' },
      {
        Authorization: `Bearer ${AGENT}`,
      },
    );
    const context = await browser.newContext({ javaScriptEnabled: false, locale: 'en-GB' });
    try {
      const page = await context.newPage();
      const errors: string[] = [];
      // The browser's own favicon request is a 404 here; the page's assets and CSP are what must not fail.
      page.on(
        'console',
        (m) => m.type() === 'error' && !/Failed to load resource/.test(m.text()) && errors.push(m.text()),
      );
      page.on('response', (r) => r.status() >= 400 && !r.url().endsWith('/favicon.ico') && errors.push(r.url()));
      await page.goto(`${s.url}${new URL(followUp.url).pathname}`);
      expect(await page.locator('.status').textContent()).to.equal('Waiting for your reply');
      expect(await page.locator('.msg.from-agent .text').textContent()).to.equal('Which model is it?');
      await page.getByLabel('Your message').fill('A Dell U2720');
      await page.getByRole('button', { name: 'Send' }).click();
      await page.waitForURL(/\?done=sent$/);
      expect(await page.getByRole('status').textContent()).to.equal('Message sent.');
      expect(await page.locator('.msg.from-customer .text').last().textContent()).to.equal('A Dell U2720');
      expect(await page.locator('.status').textContent()).to.equal("Received: we're looking into it");
      expect(errors, 'console errors (CSP, missing assets)').to.deep.equal([]);
    } finally {
      await context.close();
    }
    const stored = await s.core.tickets.get(id);
    expect(stored).to.include({ status: 'open', reopens: 1 });
  });
});
