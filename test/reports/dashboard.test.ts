import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../helpers/chromium.ts';
import { parseArticle } from '../../core/articles/parseArticle.ts';
import { getJson, postJson, startTestServer, type TestServer } from '../helpers/server.ts';
import { tempDir } from '../helpers/tempDir.ts';

const ARTIFACTS = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../test-artifacts/reports');
const KEYS = { lead: 'lead-key-0123456789', agent: 'agent-key-0123456789', admin: 'admin-key-0123456789' };
const as = (role: keyof typeof KEYS) => ({ Authorization: `Bearer ${KEYS[role]}` });

async function patchJson(url: string, body: unknown, headers: Record<string, string>) {
  const res = await fetch(url, {
    method: 'PATCH',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

/**
 * Done when: after a few conversations through the API (answered, confirmed,
 * not helpful, ticket), the dashboard shows the right numbers and a gap, a
 * draft article can be made from the gap, and an agent can work the ticket.
 */
describe('reports end to end: conversations → dashboard → draft → agent', function () {
  this.timeout(120_000);
  let s: TestServer;
  let drafts: ReturnType<typeof tempDir>;
  let browser: Browser;
  let laptopTicket: string;

  before(async () => {
    drafts = tempDir('deflect-drafts-');
    s = await startTestServer({
      env: { DEFLECT_API_KEYS: `lead=${KEYS.lead},agent=${KEYS.agent},admin=${KEYS.admin}`, DRAFTS_DIR: drafts.dir },
    });
    const ask = async (question: string, conversationId?: string) =>
      (await postJson(`${s.url}/api/ask`, { question, conversationId })).body;

    // Answered, and the user confirms it helped.
    const vpn = await ask('how do I set up the VPN?');
    expect(vpn.action).to.equal('answer');
    await postJson(`${s.url}/api/feedback`, {
      conversationId: vpn.conversationId,
      articleId: vpn.answer.articleId,
      helpful: true,
    });
    // Answered, no feedback, no ticket.
    expect((await ask('olvidé mi contraseña')).action).to.equal('answer');
    // Answered, "not helpful", then a ticket.
    const laptop = await ask('my laptop screen is cracked');
    expect(laptop.action).to.equal('answer');
    await postJson(`${s.url}/api/feedback`, {
      conversationId: laptop.conversationId,
      articleId: laptop.answer.articleId,
      helpful: false,
    });
    laptopTicket = (
      await postJson(`${s.url}/api/tickets`, {
        conversationId: laptop.conversationId,
        email: 'ana@example.com',
        name: 'Ana',
      })
    ).body.id;
    // Nothing fits, twice in different words: one gives up, one opens a ticket.
    expect((await ask('is there bike parking at the office?')).action).to.equal('ticket');
    const bike = await ask('where can I park my bike at the office?');
    expect(bike.action).to.equal('ticket');
    await postJson(`${s.url}/api/tickets`, { conversationId: bike.conversationId, email: 'bob@example.com' });
    // Nothing fits in Spanish either.
    expect((await ask('¿dónde puedo aparcar la bici en la oficina?')).action).to.equal('ticket');

    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await s?.close();
    drafts?.cleanup();
  });

  it('the deflection report counts each outcome per the definitions', async () => {
    const r = await getJson(`${s.url}/api/reports/deflection?groupBy=lang`, as('lead'));
    expect(r.status).to.equal(200);
    expect(r.body.totals).to.include({
      questions: 6,
      answered: 3,
      unanswered: 3,
      confirmed: 1,
      notHelpful: 1,
      selfServed: 2,
      selfServedConfirmed: 1,
      escalated: 2,
      escalatedAfterNotHelpful: 1,
      escalatedNoAnswer: 1,
      abandoned: 2,
      tickets: 2,
    });
    expect(r.body.totals.deflectionRate).to.equal(0.3333);
    expect(r.body.totals.confirmedDeflectionRate).to.equal(0.1667);
    expect(r.body.rows.map((x: { key: string; questions: number }) => [x.key, x.questions])).to.deep.equal([
      ['en', 4],
      ['es', 2],
    ]);
  });

  it('the gaps report clusters the two English phrasings about bike parking', async () => {
    const r = await getJson(`${s.url}/api/reports/gaps`, as('lead'));
    const top = r.body.clusters[0];
    expect(top).to.include({ lang: 'en', count: 2, unanswered: 2, ticket: 1 });
    expect(top.phrasings.map((p: { text: string }) => p.text)).to.have.members([
      'is there bike parking at the office?',
      'where can I park my bike at the office?',
    ]);
    expect(r.body.clusters.map((c: { lang: string }) => c.lang)).to.include('es');
  });

  it('the dashboard, opened with a lead key, shows the numbers, the charts and the gap; its button writes a draft', async () => {
    // English whatever the machine's language: these specs read the English words (Spanish: dashboardLang.test.ts).
    const context = await browser.newContext({ viewport: { width: 1360, height: 900 }, locale: 'en-US' });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(String(e)));
    await page.goto(`${s.url}/reports`);
    await page.fill('#key', KEYS.lead);
    await page.click('#login button[type=submit]');
    await page.waitForSelector('[data-kpi="Questions"] dd');
    const kpi = async (name: string) => page.textContent(`[data-kpi="${name}"] dd`);
    expect(await kpi('Questions')).to.equal('6');
    expect(await kpi('Deflection rate')).to.equal('33.3%');
    expect(await kpi('Confirmed only')).to.equal('16.7%');
    expect(await kpi('Tickets')).to.equal('2');
    for (const chart of ['trend', 'volume', 'tags', 'langs', 'articles']) {
      await page.waitForFunction((id) => {
        const img = document.getElementById(id) as HTMLImageElement | null;
        return !!img && img.complete && img.naturalWidth > 0;
      }, `chart-${chart}`);
    }
    const firstGap = page.locator('#gaps tbody tr').first();
    expect(await firstGap.locator('td').first().textContent()).to.equal('2');
    expect(await firstGap.textContent()).to.contain('where can I park my bike at the office?');
    expect(await page.locator('#health tbody').textContent()).to.contain('Laptop');

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard.png'), fullPage: true });

    await firstGap.getByRole('button', { name: 'Make draft' }).click();
    await page.waitForFunction(() => /Draft written/.test(document.getElementById('draft-result')?.textContent ?? ''));
    expect(problems, problems.join('\n')).to.deep.equal([]);
    await context.close();

    const files = readdirSync(drafts.dir);
    expect(files).to.have.length(1);
    const parsed = parseArticle(`drafts/${files[0]}`, readFileSync(path.join(drafts.dir, files[0]!), 'utf8'), {
      defaultLang: 'en',
    });
    expect(parsed.problems.filter((p) => p.severity === 'error')).to.deep.equal([]);
    expect(parsed.article).to.include({ status: 'draft', lang: 'en' });
    expect(parsed.article!.questions).to.include.members([
      'where can I park my bike at the office?',
      'is there bike parking at the office?',
    ]);
  });

  it('without a key the dashboard asks for one, and an agent key may not read reports', async () => {
    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    await page.goto(`${s.url}/reports`);
    await page.fill('#key', KEYS.agent);
    await page.click('#login button[type=submit]');
    await page.waitForFunction(() => /lead role/.test(document.getElementById('login-error')?.textContent ?? ''));
    expect(await page.isVisible('#login')).to.equal(true);
    await context.close();
  });

  it('opens without a key on a server without DEFLECT_API_KEYS, from this machine (the npm start demo)', async () => {
    const local = await startTestServer();
    const context = await browser.newContext({ locale: 'en-US' });
    try {
      await postJson(`${local.url}/api/ask`, { question: 'how do I set up the VPN?' });
      const page = await context.newPage();
      await page.goto(`${local.url}/reports`);
      await page.waitForFunction(() => /Updated/.test(document.getElementById('status')?.textContent ?? ''));
      expect(await page.isVisible('#login')).to.equal(false);
      expect(await page.isVisible('#logout')).to.equal(false);
      expect(await page.locator('#app').textContent()).to.match(/questions/i);
    } finally {
      await context.close();
      await local.close();
    }
  });

  it('an agent works the ticket through the API: context, pending with a note, solved', async () => {
    const list = await getJson(`${s.url}/api/tickets?status=open`, as('agent'));
    expect(list.body.total).to.equal(2);
    const detail = await getJson(`${s.url}/api/tickets/${laptopTicket}`, as('agent'));
    expect(detail.body).to.include({
      reason: 'not_helpful',
      failedQuestion: 'my laptop screen is cracked',
      email: 'ana@example.com',
    });
    expect(detail.body.feedback).to.deep.equal([
      { articleId: 'broken-screen-en', title: detail.body.articlesShown[0].title, helpful: false },
    ]);
    expect(detail.body.transcript.length).to.be.greaterThan(2);

    const pending = await patchJson(
      `${s.url}/api/tickets/${laptopTicket}`,
      {
        status: 'pending',
        assignee: 'marta',
        tags: ['Hardware'],
        note: 'Asked for a photo of the screen',
        author: 'Marta',
      },
      as('agent'),
    );
    expect(pending.status).to.equal(200);
    expect(pending.body).to.include({ status: 'pending', assignee: 'marta' });
    expect(pending.body.tags).to.deep.equal(['hardware']);
    expect(pending.body.notes[0]).to.include({ text: 'Asked for a photo of the screen', author: 'Marta' });
    expect(
      (await patchJson(`${s.url}/api/tickets/${laptopTicket}`, { status: 'solved' }, as('agent'))).body.status,
    ).to.equal('solved');
    const solved = await getJson(`${s.url}/api/tickets?status=solved&tag=hardware`, as('agent'));
    expect(solved.body.tickets.map((t: { id: string }) => t.id)).to.deep.equal([laptopTicket]);
  });
});
