// The leads' dashboard (/reports). Data comes from /api/reports/* (api.ts);
// each panel renders with textContent only (panels/*). Words and formats come
// from i18n/; the server draws the charts' text in the same language (?lang=).
import type { CsatResponse } from '../../core/contracts/reports.ts';
import { AuthError, keyStore, readAccess, reportsApi, type Period } from './api.ts';
import { applyStrings, byId, el, fillWith } from './dom.ts';
import { localeFor, resolveLang, toLang, type Locale } from './i18n/index.ts';
import { renderCharts } from './panels/charts.ts';
import { renderCsat } from './panels/csat.ts';
import { wireDownloads } from './panels/downloads.ts';
import { renderGaps } from './panels/gaps.ts';
import { renderHealth } from './panels/health.ts';
import { renderCoverage, renderWeakest } from './panels/weakest.ts';
import { renderKpis } from './panels/kpis.ts';
import { renderPhrasings } from './panels/phrasings.ts';
import { renderTickets } from './panels/tickets.ts';

let L: Locale = localeFor(resolveLang(location.search, navigator.languages));
const api = reportsApi(() => L);
// Each load gets a number, so a slow answer in the old language cannot overwrite a newer one.
let loads = 0;
// The same for the satisfaction panel, which also reloads alone when its grouping changes.
let csatLoads = 0;
// And for the Tickets tab, loaded when it is shown.
let ticketLoads = 0;
type Tab = 'deflection' | 'tickets';
let tab: Tab = 'deflection';

const page = {
  app: byId('app'),
  login: byId('login', HTMLFormElement),
  key: byId('key', HTMLInputElement),
  logout: byId('logout', HTMLButtonElement),
  period: byId('period', HTMLFormElement),
  status: byId('status'),
  lang: byId('lang', HTMLSelectElement),
  csatGroup: byId('csat-group', HTMLSelectElement),
  csatCsv: byId('csat-csv', HTMLButtonElement),
  ticketsGroup: byId('tickets-group', HTMLSelectElement),
  ticketsCsv: byId('tickets-csv', HTMLButtonElement),
  body: (table: string) => byId(table, HTMLTableElement).tBodies[0]!,
};

const isoDay = (d: Date) => d.toISOString().slice(0, 10);

function period(): Period {
  const field = (name: string) => (page.period.elements.namedItem(name) as HTMLInputElement).value;
  return { from: field('from'), to: field('to') };
}

function showLogin(message = ''): void {
  keyStore.clear();
  page.app.hidden = true;
  page.logout.hidden = true;
  page.login.hidden = false;
  byId('login-error').textContent = message;
  page.key.focus();
}

/** Loads and renders the shown tab for the period, in the current language. */
async function load(): Promise<void> {
  if (tab === 'tickets') return loadTickets();
  const mine = ++loads;
  page.status.textContent = L.t('loading');
  try {
    const p = period();
    const csatMine = ++csatLoads;
    const [data, phrasings, csat] = await Promise.all([
      api.dashboard(p, L.lang),
      api.phrasings(p),
      api.csat(p, page.csatGroup.value),
    ]);
    if (mine !== loads) return;
    if (csatMine === csatLoads) showCsat(csat);
    renderKpis(data, L);
    renderCharts(data.charts);
    renderGaps(page.body('gaps'), data.gaps, L, makeDraft);
    renderHealth(page.body('health'), data.health, L);
    renderCoverage(byId('coverage'), data.coverage, L);
    renderWeakest(byId('weakest'), data.weakest, L);
    renderPhrasings(page.body('phrasings'), phrasings.articles, L);
    page.status.textContent = L.t('updated', { time: L.time(new Date()) });
  } catch (error) {
    if (mine !== loads) return;
    if (error instanceof AuthError) return showLogin(error.message);
    page.status.textContent = L.t('loadFailed', { error: messageOf(error) });
  }
}

function showCsat(r: CsatResponse): void {
  renderCsat({ tickets: byId('csat-tickets'), answers: byId('csat-answers'), comments: byId('csat-comments') }, r, L);
}

/** The satisfaction panel's grouping: only that panel reloads, and its CSV follows the choice. */
async function regroupCsat(): Promise<void> {
  const mine = ++csatLoads;
  const groupBy = page.csatGroup.value;
  page.csatCsv.dataset.group = groupBy;
  try {
    const r = await api.csat(period(), groupBy);
    if (mine === csatLoads) showCsat(r);
  } catch (error) {
    if (mine !== csatLoads) return;
    if (error instanceof AuthError) return showLogin(error.message);
    page.status.textContent = L.t('loadFailed', { error: messageOf(error) });
  }
}

/** The Tickets tab: figures and charts by day, the table by the chosen group (one request when that is day). */
async function loadTickets(): Promise<void> {
  const mine = ++ticketLoads;
  const groupBy = page.ticketsGroup.value;
  page.ticketsCsv.dataset.group = groupBy;
  page.status.textContent = L.t('loading');
  try {
    const p = period();
    const byDay = api.tickets(p, 'day');
    const [day, group] = await Promise.all([byDay, groupBy === 'day' ? byDay : api.tickets(p, groupBy)]);
    if (mine !== ticketLoads || tab !== 'tickets') return;
    const parts = {
      kpis: byId('tickets-kpis'),
      volume: byId('tickets-volume'),
      ages: byId('tickets-ages'),
      table: page.body('tickets-table'),
    };
    renderTickets(parts, day, group, L);
    page.status.textContent = L.t('updated', { time: L.time(new Date()) });
  } catch (error) {
    if (mine !== ticketLoads) return;
    if (error instanceof AuthError) return showLogin(error.message);
    page.status.textContent = L.t('loadFailed', { error: messageOf(error) });
  }
}

/** Shows one tab's sections (those without data-tab are the Deflection tab's) and loads it. */
function showTab(next: Tab): void {
  tab = next;
  for (const b of document.querySelectorAll<HTMLButtonElement>('.tabs [role="tab"]'))
    b.setAttribute('aria-selected', String(b.dataset.tab === next));
  for (const section of document.querySelectorAll<HTMLElement>('#app > section'))
    section.hidden = (section.dataset.tab ?? 'deflection') !== next;
  // The page heading names the tab's reports; kept as its data-i18n key, so a change of language rewords it too.
  const heading = document.querySelector<HTMLElement>('h1[data-i18n]');
  if (heading) {
    const key = next === 'tickets' ? 'headingTickets' : 'heading';
    heading.dataset.i18n = key;
    heading.textContent = L.t(key);
  }
  void load();
}

/** The gaps panel's button: writes a draft article and says where. */
async function makeDraft(gap: { id: string }): Promise<boolean> {
  const result = byId('draft-result');
  try {
    const draft = await api.draftFromGap(gap.id, period());
    result.textContent = L.t('draftWritten', { file: draft.file, n: draft.questions });
    return true;
  } catch (error) {
    if (error instanceof AuthError) showLogin(error.message);
    else result.textContent = L.t('draftFailed', { error: messageOf(error) });
    return false;
  }
}

async function fetchCsv(report: string, groupBy: string | undefined) {
  const p = period();
  try {
    const blob = await api.csv(report, p, groupBy);
    return { blob, name: `${report}${groupBy ? `-by-${groupBy}` : ''}-${p.from}-${p.to}.csv` };
  } catch (error) {
    if (error instanceof AuthError) showLogin(error.message);
    else page.status.textContent = L.t('downloadFailed', { error: messageOf(error) });
    return undefined;
  }
}

/** Words the static page in the current language (the rendered data is redone by load()). */
function word(): void {
  applyStrings(document, L);
  const role = (name: string) => () => el('strong', name);
  // Role names stay as written in DEFLECT_API_KEYS, whatever the language.
  fillWith(byId('login-help'), L.t('signInHelp'), { lead: role('lead'), admin: role('admin') });
  page.lang.value = L.lang;
}

/** The language switch: no reload, so the key and the period stay; the URL keeps the choice. */
function switchLang(value: string): void {
  const lang = toLang(value);
  if (!lang) return;
  L = localeFor(lang);
  word();
  const url = new URL(location.href);
  url.searchParams.set('lang', lang);
  history.replaceState(null, '', url);
  if (!page.app.hidden) void load();
}

function showApp(keyRequired: boolean): void {
  page.login.hidden = true;
  page.app.hidden = false;
  page.logout.hidden = !keyRequired;
  void load();
}

function start(): void {
  word();
  page.lang.addEventListener('change', () => switchLang(page.lang.value));
  const today = new Date();
  (page.period.elements.namedItem('from') as HTMLInputElement).value = isoDay(
    new Date(today.getTime() - 29 * 86_400_000),
  );
  (page.period.elements.namedItem('to') as HTMLInputElement).value = isoDay(today);
  page.login.addEventListener('submit', (ev) => {
    ev.preventDefault();
    keyStore.set(page.key.value.trim());
    page.key.value = '';
    showApp(true);
  });
  page.period.addEventListener('submit', (ev) => {
    ev.preventDefault();
    void load();
  });
  page.logout.addEventListener('click', () => showLogin());
  // A reloaded page may keep the grouping the browser restored: the CSV button follows it from the start.
  page.csatCsv.dataset.group = page.csatGroup.value;
  page.csatGroup.addEventListener('change', () => void regroupCsat());
  page.ticketsCsv.dataset.group = page.ticketsGroup.value;
  page.ticketsGroup.addEventListener('change', () => void loadTickets());
  for (const b of document.querySelectorAll<HTMLButtonElement>('.tabs [role="tab"]'))
    b.addEventListener('click', () => showTab(b.dataset.tab === 'tickets' ? 'tickets' : 'deflection'));
  wireDownloads(document, fetchCsv);
  // A server without DEFLECT_API_KEYS lets this machine in without a key (local mode).
  void readAccess().then(({ keyRequired }) => {
    if (keyRequired && !keyStore.get()) return showLogin();
    showApp(keyRequired);
  });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

start();
