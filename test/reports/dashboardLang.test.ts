import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { launchChromium } from '../helpers/chromium.ts';
import { getJson, postJson, startTestServer, type TestServer } from '../helpers/server.ts';

const ARTIFACTS = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../test-artifacts/reports');
const LEAD = 'lead-key-0123456789';
const as = { Authorization: `Bearer ${LEAD}` };

/** The text of a chart, from the data: URL its <img> shows. */
async function chartText(page: Page, name: string): Promise<string> {
  const src = await page.getAttribute(`#chart-${name}`, 'src');
  return decodeURIComponent((src ?? '').slice((src ?? '').indexOf(',') + 1));
}

/**
 * Done when: the dashboard speaks Spanish when asked (?lang=es), when the
 * browser prefers Spanish, or after the switch — headings, numbers and the
 * charts the server draws — and English otherwise.
 */
describe('the dashboard in Spanish and English', function () {
  this.timeout(120_000);
  let s: TestServer;
  let browser: Browser;

  before(async () => {
    s = await startTestServer({ env: { DEFLECT_API_KEYS: `lead=${LEAD}` } });
    await postJson(`${s.url}/api/ask`, { question: 'how do I set up the VPN?' });
    await postJson(`${s.url}/api/ask`, { question: 'olvidé mi contraseña' });
    await postJson(`${s.url}/api/ask`, { question: '¿dónde puedo aparcar la bici en la oficina?' });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await s?.close();
  });

  /** Opens the dashboard, signs in and waits for the data; page errors are collected. */
  async function openDashboard(query: string, context: BrowserContextOptions) {
    const page = await (await browser.newContext({ viewport: { width: 1360, height: 900 }, ...context })).newPage();
    const problems: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(String(e)));
    await page.goto(`${s.url}/reports${query}`);
    await page.fill('#key', LEAD);
    await page.click('#login button[type=submit]');
    await page.waitForSelector('[data-kpi="Questions"] dd');
    await page.waitForFunction(() =>
      (document.getElementById('chart-trend') as HTMLImageElement | null)?.src.startsWith('data:'),
    );
    return { page, problems };
  }

  it('the dashboard API draws its charts in the language asked for, English by default', async () => {
    const es = await getJson(`${s.url}/api/reports/dashboard?lang=es`, as);
    expect(es.status).to.equal(200);
    expect(es.body.lang).to.equal('es');
    expect(es.body.charts.trend)
      .to.contain('Tasa de desvío')
      .and.contain('Autoservicio')
      .and.contain('Solo confirmadas');
    expect(es.body.charts.langs).to.contain('Preguntas por idioma').and.contain('español').and.contain('inglés');
    expect(es.body.charts.articles).to.contain('No ayudó');
    const en = await getJson(`${s.url}/api/reports/dashboard`, as);
    expect(en.body.lang).to.equal('en');
    expect(en.body.charts.trend).to.contain('Deflection rate').and.contain('Self-served');
    expect(en.body.charts.langs).to.contain('Spanish').and.not.contain('español');
    // Only the words change: the data and its machine names do not.
    expect(es.body.totals).to.deep.equal(en.body.totals);
    expect(es.body.byLang.map((r: { key: string }) => r.key)).to.have.members(['en', 'es']);
  });

  it('a language the dashboard does not speak is a 400 invalid_request, like any bad query parameter', async () => {
    for (const lang of ['fr', 'ES', '']) {
      const r = await getJson(`${s.url}/api/reports/dashboard?lang=${lang}`, as);
      expect(r.status, lang).to.equal(400);
      expect(r.body.error.code).to.equal('invalid_request');
    }
  });

  it('opened with ?lang=es it shows Spanish headings, numbers and chart text', async () => {
    const { page, problems } = await openDashboard('?lang=es', { locale: 'en-US' });
    expect(await page.getAttribute('html', 'lang')).to.equal('es');
    expect(await page.title()).to.equal('Deflect — informes');
    expect(await page.textContent('h1')).to.equal('Informes de desvío');
    expect(await page.textContent('#gaps-h')).to.match(/^Lagunas/);
    expect(await page.textContent('#health th')).to.equal('Artículo');
    expect(await page.textContent('[data-kpi="Questions"] dt')).to.equal('Preguntas');
    expect(await page.textContent('[data-kpi="Deflection rate"] dd')).to.match(/^\d+(,\d)?\u00a0%$/);
    expect(await page.textContent('#status')).to.match(/^Actualizado/);
    expect(await page.getAttribute('#chart-trend', 'alt')).to.equal('Tasa de desvío a lo largo del tiempo');
    expect(await page.getAttribute('.grid', 'aria-label')).to.equal('Gráficos');
    expect(await page.locator('#gaps tbody').getByRole('button', { name: 'Crear borrador' }).count()).to.be.greaterThan(
      0,
    );
    expect(await page.getByLabel('Idioma').inputValue()).to.equal('es');
    expect(await chartText(page, 'trend'))
      .to.contain('Tasa de desvío')
      .and.contain('Autoservicio');
    expect(await chartText(page, 'volume')).to.contain('Incidencias');
    expect(problems, problems.join('\n')).to.deep.equal([]);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard-es.png'), fullPage: true });
    await page.context().close();
  });

  it('a browser whose language is es-ES gets Spanish without the parameter, from the sign-in form on', async () => {
    const page = await (await browser.newContext({ locale: 'es-ES' })).newPage();
    await page.goto(`${s.url}/reports`);
    await page.waitForSelector('#login:not([hidden])');
    expect(await page.getAttribute('html', 'lang')).to.equal('es');
    expect(await page.textContent('#login h2')).to.equal('Iniciar sesión');
    expect(await page.textContent('#login-help')).to.contain('rol lead o admin');
    expect(await page.locator('#login-help strong').allTextContents()).to.deep.equal(['lead', 'admin']);
    await page.getByLabel('Clave de API').fill(LEAD);
    await page.getByRole('button', { name: 'Ver informes' }).click();
    await page.waitForFunction(() => /^Actualizado/.test(document.getElementById('status')?.textContent ?? ''));
    expect(await chartText(page, 'langs')).to.contain('Preguntas por idioma');
    await page.context().close();
  });

  it('?lang=en wins over a Spanish browser', async () => {
    const { page } = await openDashboard('?lang=en', { locale: 'es-ES' });
    expect(await page.getAttribute('html', 'lang')).to.equal('en');
    expect(await page.textContent('h1')).to.equal('Deflection reports');
    expect(await chartText(page, 'trend')).to.contain('Deflection rate');
    await page.context().close();
  });

  it("tells a Spanish reader what went wrong in Spanish, from the server's stable error codes", async () => {
    const page = await (await browser.newContext({ locale: 'es-ES' })).newPage();
    await page.goto(`${s.url}/reports`);
    await page.getByLabel('Clave de API').fill('not-a-key-of-this-server');
    await page.getByRole('button', { name: 'Ver informes' }).click();
    await page.waitForFunction(() => !!document.getElementById('login-error')?.textContent);
    expect(await page.textContent('#login-error')).to.equal('esta clave no es válida');

    await page.getByLabel('Clave de API').fill(LEAD);
    await page.getByRole('button', { name: 'Ver informes' }).click();
    await page.waitForFunction(() => /^Actualizado/.test(document.getElementById('status')?.textContent ?? ''));
    // An end before the start: the server answers 400 invalid_request, in English.
    await page.fill('#period input[name=from]', '2026-03-10');
    await page.fill('#period input[name=to]', '2026-03-01');
    await page.getByRole('button', { name: 'Actualizar' }).click();
    await page.waitForFunction(() => /^No se han podido/.test(document.getElementById('status')?.textContent ?? ''));
    expect(await page.textContent('#status')).to.equal(
      'No se han podido cargar los informes: el inicio debe ser anterior al final',
    );
    await page.context().close();
  });

  it('the switch changes the language in place: no reload, no new key prompt, the URL keeps the choice', async () => {
    const { page, problems } = await openDashboard('', { locale: 'en-US' });
    expect(await page.textContent('h1')).to.equal('Deflection reports');
    // A reload would lose this, and would bring the page up from scratch.
    await page.evaluate(() => ((window as unknown as { sameDocument?: boolean }).sameDocument = true));
    await page.getByLabel('Language').selectOption('es');
    await page.waitForFunction(() =>
      /Tasa de desvío/.test(decodeURIComponent((document.getElementById('chart-trend') as HTMLImageElement).src)),
    );
    expect(await page.textContent('h1')).to.equal('Informes de desvío');
    expect(await page.getAttribute('html', 'lang')).to.equal('es');
    expect(await page.textContent('[data-kpi="Questions"] dt')).to.equal('Preguntas');
    expect(await page.isVisible('#login')).to.equal(false);
    expect(await page.isVisible('#app')).to.equal(true);
    expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).to.equal(true);
    expect(new URL(page.url()).searchParams.get('lang')).to.equal('es');

    await page.getByLabel('Idioma').selectOption('en');
    await page.waitForFunction(() =>
      /Deflection rate/.test(decodeURIComponent((document.getElementById('chart-trend') as HTMLImageElement).src)),
    );
    expect(await page.textContent('h1')).to.equal('Deflection reports');
    expect(await page.textContent('#status')).to.match(/^Updated/);
    expect(problems, problems.join('\n')).to.deep.equal([]);
    await page.context().close();
  });
});
