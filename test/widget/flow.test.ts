import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../helpers/server.ts';
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

/** The same journey in each language: answer → not helpful → suggestion → ticket. */
const journeys = [
  {
    lang: 'es',
    question: '¿cómo configuro el VPN?',
    answer: 'Configurar el VPN',
    articleId: 'configurar-vpn',
    helped: '¿Te ha servido?',
    human: 'Hablar con una persona',
    email: 'Correo electrónico',
    name: 'Nombre',
    submit: 'Enviar solicitud',
    emailError: 'Escribe un correo válido',
    created: /Hemos creado tu solicitud (T-\d{6})\. Te responderemos en lucia@example\.com\./,
    person: { email: 'lucia@example.com', name: 'Lucía Pérez' },
  },
  {
    lang: 'en',
    question: 'how do I set up the VPN?',
    answer: 'Set up the VPN',
    articleId: 'vpn-setup-en',
    helped: 'Did this help?',
    human: 'Talk to a person',
    email: 'E-mail',
    name: 'Name',
    submit: 'Send request',
    emailError: 'Enter a valid e-mail address',
    created: /Your request (T-\d{6}) has been created\. We will reply to lucia@example\.com\./,
    person: { email: 'lucia@example.com', name: 'Lucia Perez' },
  },
];

describe('widget conversation with the real server', function () {
  this.timeout(90000);
  let browser: Browser;
  let server: TestServer;
  let site: HostSite;

  before(async () => {
    browser = await launchChromium();
    server = await startTestServer();
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

  async function start(lang: string): Promise<{ page: Page; problems: string[]; close(): Promise<void> }> {
    const { page, problems, context } = await openPage(browser, { locale: lang === 'es' ? 'es-ES' : 'en-US' });
    await page.goto(`${site.url}/${lang}`);
    await openWidget(page);
    return { page, problems, close: () => context.close() };
  }

  for (const j of journeys) {
    it(`runs the whole journey in ${j.lang === 'es' ? 'Spanish' : 'English'}, and the ticket reaches the store with the transcript`, async () => {
      const { page, problems, close } = await start(j.lang);
      await screenshot(page, `${j.lang}-1-open`);
      await askWidget(page, j.question);
      const card = page.locator('.d-card').first();
      await card.waitFor();
      expect(await card.locator('.d-card-title').innerText()).to.equal(j.answer);
      expect(await card.locator('.d-card-link').getAttribute('href')).to.equal(`${server.url}/articles/${j.articleId}`);
      expect(await card.locator('.d-fb-q').innerText()).to.equal(j.helped);
      await screenshot(page, `${j.lang}-2-answer`);

      await card.getByRole('button', { name: 'No' }).click();
      const choice = page.locator('.d-choice:not(.d-choice-none)').first();
      await choice.waitFor();
      const suggested = await choice.innerText();
      await screenshot(page, `${j.lang}-3-suggestions`);
      await choice.click();
      await page.locator('.d-card').nth(1).waitFor();
      expect(await page.locator('.d-card-title').nth(1).innerText()).to.equal(suggested);

      await page.getByRole('button', { name: j.human }).click();
      const ticketsBefore = (await server.deps.tickets.list()).total;
      await page.getByLabel(j.email).fill('not-an-email');
      await page.getByRole('button', { name: j.submit }).click();
      await page.locator('.d-field-error', { hasText: j.emailError }).waitFor();
      expect(await page.getByLabel(j.email).getAttribute('aria-invalid')).to.equal('true');
      expect((await server.deps.tickets.list()).total, 'nothing is sent before the form is valid').to.equal(
        ticketsBefore,
      );
      await page.getByLabel(j.email).fill(j.person.email);
      await page.getByLabel(j.name, { exact: true }).fill(j.person.name);
      expect(
        await page.locator('textarea').inputValue(),
        'the description is pre-filled from the conversation',
      ).to.contain(j.question);
      await screenshot(page, `${j.lang}-4-ticket-form`);
      await page.getByRole('button', { name: j.submit }).click();

      const success = page.locator('.d-success');
      await success.waitFor();
      const id = (await success.innerText()).match(j.created)?.[1];
      expect(id, await success.innerText()).to.be.a('string');
      await screenshot(page, `${j.lang}-5-ticket-created`);

      const ticket = await server.deps.tickets.get(id!);
      expect(ticket).to.include({ email: j.person.email, name: j.person.name, channel: 'widget' });
      expect(ticket.conversationId).to.be.a('string');
      const userTurns = ticket.transcript.filter((t) => t.role === 'user').map((t) => t.text);
      expect(userTurns).to.include.members([j.question, suggested]);
      expect(ticket.transcript.some((t) => t.role === 'bot')).to.equal(true);
      expect(problems).to.deep.equal([]);
      await close();
    });
  }

  it('shows the candidate articles as buttons when the question is ambiguous (clarify)', async () => {
    const { page, close } = await start('en');
    // Setting the VPN up, or a VPN that will not connect? A bare "vpn" does not say.
    await askWidget(page, 'vpn');
    const choices = page.locator('.d-choice');
    await choices.first().waitFor();
    const texts = await choices.allInnerTexts();
    // Their order is the engine's call; "None of these" comes last.
    expect(texts.slice(0, -1)).to.have.members(['Set up the VPN', 'VPN not connecting']);
    expect(texts.at(-1)).to.equal('None of these');
    await screenshot(page, 'en-clarify');
    await page.getByRole('button', { name: 'Set up the VPN' }).click();
    await page.locator('.d-card').waitFor();
    expect(await page.locator('.d-card-title').innerText()).to.equal('Set up the VPN');
    expect(await choices.first().isDisabled(), 'a used choice cannot be picked twice').to.equal(true);
    await close();
  });

  it('goes straight to the ticket form when nothing in the knowledge base fits', async () => {
    const { page, close } = await start('en');
    await askWidget(page, 'what is the capital of Mongolia?');
    await page.getByLabel('E-mail').waitFor();
    expect(await page.getByLabel(/Describe/).inputValue()).to.equal('what is the capital of Mongolia?');
    await page.getByRole('button', { name: 'Back to chat' }).click();
    expect(await page.locator('.d-bot .d-bubble').last().innerText()).to.contain('could not find an answer');
    await close();
  });

  it('thanks the user and closes the topic when the answer helped', async () => {
    const { page, close } = await start('es');
    await askWidget(page, 'olvidé mi contraseña');
    await page.locator('.d-card').waitFor();
    expect(await page.locator('.d-card-title').innerText()).to.equal('Restablecer la contraseña');
    await page.getByRole('button', { name: 'Sí' }).click();
    await page.locator('.d-bot .d-bubble', { hasText: 'me alegro' }).waitFor();
    expect(await page.locator('.d-fb-done').innerText()).to.equal('Gracias por tu opinión.');
    await close();
  });

  it('answers a Spanish question on an English page in Spanish, the replies around the answer included', async () => {
    const { page, close } = await start('en');
    await askWidget(page, 'olvidé mi contraseña');
    const card = page.locator('.d-card');
    await card.waitFor();
    expect(await card.locator('.d-card-title').innerText()).to.equal('Restablecer la contraseña');
    expect(await card.locator('.d-fb-q').innerText()).to.equal('¿Te ha servido?');
    await card.getByRole('button', { name: 'Sí' }).click();
    await page.locator('.d-bot .d-bubble', { hasText: 'me alegro' }).waitFor();
    expect(
      await page.getByRole('button', { name: 'Send' }).count(),
      "the page's own controls stay in English",
    ).to.equal(1);
    await close();
  });

  it('suggests article titles while the user types, and a suggestion answers without typing more', async () => {
    const { page, close } = await start('es');
    const searches: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/api/search')) searches.push(r.url());
    });
    // Typed key by key at a person's pace (not a sleep), so the debounce between keystrokes is exercised.
    await page.locator('.d-input').pressSequentially('contraseña', { delay: 40 });
    const item = page.locator('.d-sugg-item', { hasText: 'Restablecer la contraseña' });
    await item.waitFor();
    await screenshot(page, 'es-typing-suggestions');
    expect(searches.length, 'typing is debounced: not one search per key').to.be.below('contraseña'.length - 2);
    expect(searches.at(-1)).to.contain('lang=es');
    await item.click();
    await page.locator('.d-card').waitFor();
    expect(await page.locator('.d-card-title').innerText()).to.equal('Restablecer la contraseña');
    expect(await page.locator('.d-input').inputValue()).to.equal('');
    await close();
  });

  it('links each answer to the full article on the server', async () => {
    const { page, close } = await start('en');
    await askWidget(page, 'how do I set up the VPN?');
    const link = page.locator('.d-card-link');
    await link.waitFor();
    expect(await link.getAttribute('target')).to.equal('_blank');
    const response = await page.request.get((await link.getAttribute('href'))!);
    expect(response.status()).to.equal(200);
    expect(await response.text()).to.contain('Set up the VPN');
    await close();
  });
});
