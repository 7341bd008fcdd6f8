import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { localeFor } from '../../agent/src/i18n/index.ts';
import { launchChromium } from '../helpers/chromium.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { triagedTicket } from '../helpers/triagedTicket.ts';

const AGENT = 'agent-key-0123456789';
const en = localeFor('en');

/**
 * Two agents on one ticket, each in an inbox: the one whose page was not
 * drawn again since a colleague saved is refused instead of writing over the
 * colleague's change (PATCH with the version drawn, 409 ticket_changed), sees
 * what changed, keeps the edit, and saves again.
 */
describe('the agent inbox: two agents save the same ticket (Chromium)', function () {
  this.timeout(180_000);
  let s: TestServer;
  let browser: Browser;
  let problems: string[];

  before(async () => {
    s = await startTestServer({ env: { DEFLECT_API_KEYS: `agent=${AGENT}` } });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await s?.close();
  });
  beforeEach(() => (problems = []));
  afterEach(() => {
    // The refused PATCHes are the browser's expected console lines; anything else is a problem.
    expect(problems.filter((p) => !p.includes('status of 409'))).to.deep.equal([]);
  });

  const triaged = (subject: string) => triagedTicket(s.core, subject);

  /** An agent's inbox, signed in, with the ticket open. */
  async function inbox(name: string, id: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, locale: 'en-US' });
    const page = await context.newPage();
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(String(e)));
    await page.goto(`${s.url}/agent?lang=en`);
    await page.getByLabel(en.t('apiKey')).fill(AGENT);
    await page.getByRole('button', { name: en.t('openInbox') }).click();
    await page.getByLabel(en.t('yourName')).fill(name);
    await page.locator(`#queue tbody tr[data-id="${id}"] button.open-ticket`).click();
    await page.waitForFunction((id) => document.getElementById('ticket-h')?.textContent?.startsWith(id), id);
    return page;
  }
  const saveTriage = (page: Page) => page.getByRole('button', { name: en.t('saveTriage') }).click();
  const saved = (page: Page) =>
    page.waitForFunction((t) => document.getElementById('triage-status')?.textContent === t, en.t('saved'));
  const refused = (page: Page) => page.waitForFunction(() => !!document.getElementById('triage-error')?.textContent);
  const team = (page: Page) => page.getByLabel(en.t('triageTeam'), { exact: true });

  it('B saves a priority, A (not drawn again) saves a team: A is refused, shown B’s priority, and saves again', async () => {
    const id = await triaged('VPN down for the whole floor');
    const a = await inbox('Ana', id);
    const b = await inbox('Bea', id);

    await b.getByLabel(en.t('triagePriority')).selectOption('P2');
    await saveTriage(b);
    await saved(b);

    await team(a).fill('network');
    await saveTriage(a);
    await refused(a);
    expect(await a.textContent('#triage-error')).to.equal(
      en.t('ticketChanged', { changes: ` (${en.t('triagePriority')}: P4 → P2)` }),
    );
    expect(await a.textContent('#triage-status')).to.not.equal(en.t('saved'));
    // Nothing of B's was written over, nothing of A's was written at all.
    expect(await s.core.tickets.get(id)).to.include({ priority: 'P2', team: 'desk' });
    // A's page shows the ticket as it is now: B's priority and B's note, A's team kept; no field changed by both.
    expect(await a.locator('#tr-priority').inputValue()).to.equal('P2');
    expect(await team(a).inputValue()).to.equal('network');
    expect(await a.textContent('#thread')).to.contain('Bea');
    expect(await a.isHidden('#triage-conflict')).to.equal(true);

    const sent: Array<Record<string, unknown>> = [];
    a.on('request', (r) => r.method() === 'PATCH' && sent.push(r.postDataJSON()));
    await saveTriage(a);
    await saved(a);
    expect(await a.textContent('#triage-error')).to.equal('');
    expect(sent).to.have.length(1);
    expect(sent[0]).to.have.all.keys('team', 'note', 'author');
    expect(await s.core.tickets.get(id)).to.include({ priority: 'P2', team: 'network' });
    await a.context().close();
    await b.context().close();
  });

  it('both change the team: A sees the conflict with both values, and chooses to keep B’s or to save A’s', async () => {
    const id = await triaged('Mail server unreachable');
    const a = await inbox('Ana', id);
    const b = await inbox('Bea', id);
    await team(b).fill('messaging');
    await saveTriage(b);
    await saved(b);

    await team(a).fill('network');
    await a.getByLabel(en.t('triageType')).selectOption('incident');
    await saveTriage(a);
    await refused(a);
    await a.locator('#triage-conflict').waitFor();
    expect(await a.textContent('#triage-conflict-text')).to.equal(
      en.t('triageConflict', {
        changes: en.t('conflictItem', { field: en.t('triageTeam'), theirs: 'messaging', yours: 'network' }),
      }),
    );
    expect(await s.core.tickets.get(id)).to.include({ team: 'messaging', type: 'question' });

    // Saving now replaces B's team knowingly, against the version A was refused with.
    await saveTriage(a);
    await saved(a);
    expect(await s.core.tickets.get(id)).to.include({ team: 'network', type: 'incident' });

    // B, not drawn again, changes the type: refused in turn; discarding takes the ticket as it is now.
    await b.getByLabel(en.t('triageType')).selectOption('service_request');
    await saveTriage(b);
    await refused(b);
    await b.locator('#triage-conflict').waitFor();
    await b.getByRole('button', { name: en.t('discardTriage') }).click();
    expect(await team(b).inputValue()).to.equal('network');
    expect(await b.locator('#tr-type').inputValue()).to.equal('incident');
    expect(await s.core.tickets.get(id)).to.include({ team: 'network', type: 'incident' });
    await a.context().close();
    await b.context().close();
  });

  it('the status form too: B puts it on hold, A (not drawn again) assigns it: refused, B’s status shown, A’s assignee kept', async () => {
    const id = await triaged('Laptop will not boot');
    const a = await inbox('Ana', id);
    const b = await inbox('Bea', id);
    await b.locator('#status').selectOption('on_hold');
    await b.getByRole('button', { name: en.t('save'), exact: true }).click();
    await b.waitForFunction((t) => document.getElementById('work-status')?.textContent === t, en.t('saved'));

    await a.locator('#assignee').fill('Ana');
    await a.getByRole('button', { name: en.t('save'), exact: true }).click();
    const said = en.t('ticketChanged', {
      changes: ` (${en.t('colStatus')}: ${en.t('status_open')} → ${en.t('status_on_hold')})`,
    });
    await a.waitForFunction((t) => document.getElementById('work-status')?.textContent === t, said);
    const stored = await s.core.tickets.get(id);
    expect(stored.status).to.equal('on_hold');
    expect(stored.assignee).to.equal(undefined);
    expect(await a.locator('#status').inputValue()).to.equal('on_hold');
    expect(await a.locator('#assignee').inputValue()).to.equal('Ana');

    await a.getByRole('button', { name: en.t('save'), exact: true }).click();
    await a.waitForFunction((t) => document.getElementById('work-status')?.textContent === t, en.t('saved'));
    expect(await s.core.tickets.get(id)).to.include({ status: 'on_hold', assignee: 'Ana' });
    await a.context().close();
    await b.context().close();
  });
});
