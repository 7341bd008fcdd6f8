import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { identityHash } from '../../core/identity/verifyUser.ts';
import { postJson, startTestServer, type TestServer } from '../helpers/server.ts';
import { CONTRAST_SCRIPT } from './contrast.ts';
import { hostPage, launchChromium, openPage, openWidget, screenshot, startHostSite, type HostSite } from './browser.ts';

const AGENT = 'agent-key-0123456789';
const SECRET = 'identity-secret-0123456789';

/** "My requests" in the widget (issue 17): the customer follows, answers and rates their tickets. */
describe('widget: My requests / Mis solicitudes, with the real server', function () {
  this.timeout(120_000);
  let browser: Browser;
  let server: TestServer;
  let site: HostSite;

  const agent = async (method: 'POST' | 'PATCH', path: string, body: unknown) => {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${AGENT}` },
      body: JSON.stringify(body),
    });
    expect(res.status, await res.clone().text()).to.be.oneOf([200, 201]);
  };

  before(async () => {
    browser = await launchChromium();
    server = await startTestServer({ env: { DEFLECT_API_KEYS: `agent=${AGENT}`, IDENTITY_SECRET: SECRET } });
    site = await startHostSite(server.url, {
      '/es': hostPage(server.url, { lang: 'es' }),
      '/en': hostPage(server.url, { lang: 'en' }),
    });
  });
  after(async () => {
    await browser?.close();
    await site?.close();
    await server?.close();
  });

  /** Opens a ticket through the widget's form, as a visitor does; returns its id. */
  async function openTicketInWidget(
    page: Page,
    labels: { human: string; email: string; name: string; desc: string; submit: string },
    text: string,
  ) {
    await page.getByRole('button', { name: labels.human }).click();
    await page.getByLabel(labels.email).fill('lucia@example.com');
    await page.getByLabel(labels.name, { exact: true }).fill('Lucía Pérez');
    await page.getByLabel(labels.desc).fill(text);
    await page.getByRole('button', { name: labels.submit }).click();
    const success = page.locator('.d-success');
    await success.waitFor();
    return (await success.innerText()).match(/T-\d{6}/)![0];
  }

  it('follows a ticket opened in the widget: an agent’s reply appears, the customer replies, rates once solved, and reopens', async () => {
    const { page, problems, context } = await openPage(browser);
    await page.goto(`${site.url}/en`);
    await openWidget(page);
    expect(await page.locator('.d-mine-btn').isVisible(), 'nothing to show before a ticket').to.equal(false);
    const id = await openTicketInWidget(
      page,
      {
        human: 'Talk to a person',
        email: 'E-mail',
        name: 'Name',
        desc: 'Describe the problem',
        submit: 'Send request',
      },
      'My monitor flickers',
    );
    expect((await server.deps.tickets.get(id)).lang).to.equal('en');

    await page.getByRole('button', { name: 'My requests' }).click();
    const item = page.locator('.d-req', { hasText: id });
    await item.waitFor();
    expect(await item.innerText())
      .to.contain('My monitor flickers')
      .and.contain("Received: we're looking into it");
    await screenshot(page, 'en-my-requests-list');
    await item.click();
    await page.locator('.d-tmsg', { hasText: 'My monitor flickers' }).waitFor();
    expect(await page.locator('.d-tmsg .d-who').first().innerText()).to.match(/^You · /);

    // An agent answers through the agent API; the customer sees it on refresh.
    await agent('POST', `/api/tickets/${id}/messages`, { text: 'Which model is it?', author: 'Luis' });
    await agent('POST', `/api/tickets/${id}/messages`, { text: 'SECRET internal note', internal: true });
    await page.getByRole('button', { name: 'Refresh' }).click();
    const reply = page.locator('.d-from-agent', { hasText: 'Which model is it?' });
    await reply.waitFor();
    expect(await reply.locator('.d-who').innerText()).to.match(/^Support · Luis · /);
    expect(await page.locator('.d-req-status').innerText()).to.equal('Waiting for your reply');
    expect(await page.locator('.d-mine').innerText()).to.not.contain('SECRET');
    await screenshot(page, 'en-my-requests-agent-reply');

    await page.getByLabel('Your reply').fill('A Dell U2720Q');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await page.locator('.d-from-customer', { hasText: 'A Dell U2720Q' }).waitFor();
    expect(await page.locator('.d-req-status').innerText()).to.equal("Received: we're looking into it");

    // Solved: the rating appears; good + comment is recorded and can be read back.
    await agent('PATCH', `/api/tickets/${id}`, { status: 'solved' });
    expect(await page.locator('.d-rating').count(), 'no rating before solved').to.equal(0);
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.locator('.d-rating').waitFor();
    expect(await page.locator('.d-reply').innerText()).to.contain('Writing here reopens the request.');
    await page.getByLabel('Good').check();
    await page.getByLabel('Comment (optional)').fill('Quick and kind');
    await page.getByRole('button', { name: 'Send rating' }).click();
    await page.locator('.d-notice', { hasText: 'Thank you for your rating' }).waitFor();
    expect((await server.deps.tickets.get(id)).rating).to.include({ score: 'good', comment: 'Quick and kind' });
    expect(await page.getByLabel('Good').isChecked()).to.equal(true);
    await screenshot(page, 'en-my-requests-rated');

    // A message on a solved ticket reopens it.
    await page.getByLabel('Your reply').fill('It flickers again');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await page.locator('.d-from-customer', { hasText: 'It flickers again' }).waitFor();
    const t = await server.deps.tickets.get(id);
    expect(t.status).to.equal('open');
    // Counted twice: the reply on pending above, and this one on solved.
    expect(t.reopens).to.equal(2);

    // The token stays in this browser: a later visit (a new tab, a fresh session) still lists the request.
    const later = await context.newPage();
    await later.goto(`${site.url}/en`);
    await openWidget(later);
    await later.getByRole('button', { name: 'My requests' }).click();
    await later.locator('.d-req', { hasText: id }).waitFor();
    expect(problems).to.deep.equal([]);
    await context.close();
  });

  it('speaks Spanish on a Spanish page: labels, statuses, and the ticket opened in Spanish', async () => {
    const { page, problems, context } = await openPage(browser, { locale: 'es-ES' });
    await page.goto(`${site.url}/es`);
    await openWidget(page);
    const id = await openTicketInWidget(
      page,
      {
        human: 'Hablar con una persona',
        email: 'Correo electrónico',
        name: 'Nombre',
        desc: 'Describe el problema',
        submit: 'Enviar solicitud',
      },
      'No me llega la factura',
    );
    expect((await server.deps.tickets.get(id)).lang).to.equal('es');
    await page.getByRole('button', { name: 'Mis solicitudes' }).click();
    const item = page.locator('.d-req', { hasText: id });
    await item.waitFor();
    expect(await item.innerText()).to.contain('Recibida: la estamos revisando');
    await item.click();
    await page.locator('.d-tmsg', { hasText: 'No me llega la factura' }).waitFor();
    expect(await page.locator('.d-tmsg .d-who').first().innerText()).to.match(/^Tú · /);
    await agent('POST', `/api/tickets/${id}/messages`, { text: '¿De qué mes?', status: 'solved' });
    await page.getByRole('button', { name: 'Actualizar' }).click();
    await page.locator('.d-rating').waitFor();
    expect(await page.locator('.d-rating legend').innerText()).to.equal('¿Qué tal te hemos ayudado?');
    expect(await page.getByLabel('Tu respuesta').isVisible()).to.equal(true);
    await page.getByRole('button', { name: 'Todas mis solicitudes' }).click();
    await page.locator('.d-req', { hasText: 'Resuelta' }).waitFor();
    await screenshot(page, 'es-mis-solicitudes');
    expect(problems).to.deep.equal([]);
    await context.close();
  });

  it('lists a verified user’s tickets without tokens, and shows the expected reply time when the view carries one', async () => {
    const user = { id: 'u-widget-1', hash: identityHash(SECRET, 'u-widget-1') };
    const created = await postJson(`${server.url}/api/tickets`, {
      email: 'ana@example.com',
      subject: 'VPN access for a contractor',
      description: 'Please give access',
      user,
    });
    expect(created.status).to.equal(201);
    const { page, problems, context } = await openPage(browser);
    // The SLA work (issue 18) fills expectedReplyAt; here the response carries one as that server would.
    await page.route(`${server.url}/api/my/tickets**`, async (route) => {
      const res = await route.fetch();
      const body = await res.json();
      const due = '2030-01-02T15:30:00.000Z';
      const add = (t: Record<string, unknown>) => ({ ...t, expectedReplyAt: due });
      await route.fulfill({ response: res, json: body.tickets ? { tickets: body.tickets.map(add) } : add(body) });
    });
    await page.goto(`${site.url}/en`);
    await page.evaluate((u) => window.Deflect!.setUser(u), user);
    await openWidget(page);
    await page.getByRole('button', { name: 'My requests' }).click();
    const item = page.locator('.d-req', { hasText: created.body.id });
    await item.waitFor();
    expect(await item.innerText())
      .to.contain('VPN access for a contractor')
      .and.contain('Expected reply by');
    expect(await page.locator('.d-req').count(), 'only their own tickets').to.equal(1);
    await item.click();
    await page.locator('.d-tmsg', { hasText: 'Please give access' }).waitFor();
    expect(await page.locator('.d-expected').innerText()).to.match(/^Expected reply by .*2030/);
    await page.getByLabel('Your reply').fill('Any news?');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await page.locator('.d-from-customer', { hasText: 'Any news?' }).waitFor();
    expect(problems).to.deep.equal([]);
    await context.close();
  });

  it('is usable with the keyboard only, and its text meets WCAG AA contrast', async () => {
    const user = { id: 'u-keyboard', hash: identityHash(SECRET, 'u-keyboard') };
    const created = await postJson(`${server.url}/api/tickets`, {
      email: 'ana@example.com',
      subject: 'Keyboard only',
      description: 'No mouse here',
      user,
    });
    await agent('POST', `/api/tickets/${created.body.id}/messages`, { text: 'Solved for you', status: 'solved' });
    const { page, problems, context } = await openPage(browser);
    await page.goto(`${site.url}/en`);
    await page.evaluate((u) => window.Deflect!.setUser(u), user);
    await openWidget(page);
    const focused = () =>
      page.evaluate(() => {
        let el: Element | null = document.activeElement;
        while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
        return el ? `${el.tagName.toLowerCase()}.${el.className} ${el.textContent?.trim().slice(0, 40)}` : '';
      });
    const tabTo = async (match: RegExp) => {
      for (let i = 0; i < 20 && !match.test(await focused()); i++) await page.keyboard.press('Tab');
      expect(await focused()).to.match(match);
    };
    await tabTo(/d-mine-btn/);
    await page.keyboard.press('Enter');
    await page.locator('.d-req').waitFor();
    expect(await focused(), 'focus goes to the view’s heading').to.match(/^h3\.d-view-title My requests/);
    await tabTo(/d-req /);
    await page.keyboard.press('Enter');
    await page.locator('.d-rating').waitFor();
    expect(await focused()).to.match(/^h3\.d-view-title Keyboard only/);
    await tabTo(/^input\./);
    await page.keyboard.press('Space');
    await tabTo(/d-primary Send rating/);
    await page.keyboard.press('Enter');
    await page.locator('.d-notice', { hasText: 'Thank you for your rating' }).waitFor();
    expect((await server.deps.tickets.get(created.body.id)).rating?.score).to.equal('good');
    expect((await page.evaluate(CONTRAST_SCRIPT)) as string[]).to.deep.equal([]);
    await page.getByRole('button', { name: 'All my requests' }).click();
    await page.locator('.d-req').waitFor();
    expect((await page.evaluate(CONTRAST_SCRIPT)) as string[]).to.deep.equal([]);
    await page.keyboard.press('Escape');
    expect(await page.locator('.d-panel').isHidden()).to.equal(true);
    expect(problems).to.deep.equal([]);
    await context.close();
  });
});
