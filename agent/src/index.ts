// The agents' inbox (/agent): the queue with its filters and counts, one
// ticket with what the bot knew, replies and internal notes, status and
// assignee, triage, and canned answers from the knowledge base. Data comes from the
// agent routes (api.ts); words from i18n/; every action has a control
// reachable by Tab and most a single-key shortcut (keys.ts).
import type { TicketStatus } from '../../core/contracts/api.ts';
import type { AgentTicketDetail, AgentTicketSummary, TicketCountsResponse } from '../../core/contracts/agent.ts';
import {
  agentApi,
  AuthError,
  changedMeanwhile,
  keyStore,
  PAGE_SIZE,
  readAccess,
  type QueueFilters,
  type TicketChange,
} from './api.ts';
import { wireCanned } from './canned.ts';
import { applyStrings, byId, setOptions } from './dom.ts';
import { localeFor, resolveLang, toLang, type Locale } from './i18n/index.ts';
import { wireShortcuts } from './keys.ts';
import { renderQueue, renderStatuses, STATUSES, statusName, triageFields } from './queue.ts';
import { QUEUE_REFRESH_MS, refreshWhileVisible } from './refresh.ts';
import { renderTicket } from './ticket.ts';
import { wireTriage } from './triage.ts';

let L: Locale = localeFor(resolveLang(location.search, navigator.languages));
const api = agentApi(() => L);
const NAME = 'deflect.agentName';
const CHANNELS = ['widget', 'msteams', 'webchat', 'emulator', 'api', 'email', 'whatsapp'];

const state = {
  status: 'open' as TicketStatus | undefined,
  counts: undefined as TicketCountsResponse | undefined,
  tickets: [] as AgentTicketSummary[],
  total: 0,
  page: 1,
  rows: [] as HTMLTableRowElement[],
  /** The ticket the j/k cursor is on, and the one shown (the same once it has loaded). */
  cursor: undefined as string | undefined,
  ticket: undefined as AgentTicketDetail | undefined,
  /** Articles offered as the solution: those shown to the customer, and canned answers chosen. */
  offered: new Map<string, string>(),
  teams: new Set<string>(),
  triage: false,
};
let loads = 0;
let opens = 0;

const page = {
  app: byId('app'),
  login: byId('login', HTMLFormElement),
  key: byId('key', HTMLInputElement),
  logout: byId('logout', HTMLButtonElement),
  lang: byId('lang', HTMLSelectElement),
  me: byId('me', HTMLInputElement),
  filters: byId('filters', HTMLFormElement),
  queue: byId('queue', HTMLTableElement),
  queueStatus: byId('queue-status'),
  ticket: byId('ticket'),
  noTicket: byId('no-ticket'),
  work: byId('work', HTMLFormElement),
  status: byId('status', HTMLSelectElement),
  solvedWith: byId('solved-with', HTMLSelectElement),
  solvedWithField: byId('solved-with-field'),
  assignee: byId('assignee', HTMLInputElement),
  workStatus: byId('work-status'),
  reply: byId('reply', HTMLFormElement),
  text: byId('reply-text', HTMLTextAreaElement),
  after: byId('after', HTMLSelectElement),
  replySolvedWith: byId('reply-solved-with', HTMLSelectElement),
  replyStatus: byId('reply-status'),
  keys: byId('keys', HTMLDialogElement),
};
const field = (name: string) => page.filters.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement;
const me = () => page.me.value.trim();

/** The filters as the API takes them; undefined when "Mine" is chosen without a name. */
function filters(): QueueFilters | undefined {
  const assignee = field('assignee').value;
  if (assignee === 'mine' && !me()) return undefined;
  return {
    status: state.status,
    assignee: assignee === 'mine' ? me() : assignee || undefined,
    channel: field('channel').value || undefined,
    tag: field('tag').value.trim().toLowerCase() || undefined,
    text: field('text').value.trim() || undefined,
    team: field('team').value || undefined,
    // Newest first is the list's own order; queue order exists where tickets are triaged.
    sort: field('sort').value === 'queue' ? 'queue' : undefined,
  };
}

/**
 * Loads the queue and its counts under the filters, keeping the cursor on its
 * ticket. `quiet`: the periodic refresh, which does not flash "loading" over
 * the count each time.
 */
async function loadQueue(quiet = false): Promise<void> {
  const mine = ++loads;
  const f = filters();
  if (!f) return void (page.queueStatus.textContent = L.t('mineNeedsName'));
  if (!quiet) page.queueStatus.textContent = L.t('loading');
  try {
    const [list, counts] = await Promise.all([api.list(f, state.page), api.counts(f)]);
    if (mine !== loads) return;
    state.tickets = list.tickets;
    state.total = list.total;
    state.counts = counts;
    for (const t of list.tickets) if (typeof t.team === 'string' && t.team) state.teams.add(t.team);
    state.triage = state.triage || triageFields(list.tickets).length > 0;
    drawQueue();
  } catch (error) {
    if (mine === loads) failed(error, page.queueStatus, 'loadFailed');
  }
}

/** The queue from its first page: what a change of filters shows. */
function reload(): Promise<void> {
  state.page = 1;
  return loadQueue();
}

function turnPage(by: number): void {
  state.page = Math.max(1, state.page + by);
  void loadQueue();
}

/** Previous and next page, and which tickets of how many are shown; hidden when one page holds them all. */
function drawPager(): void {
  const pages = Math.ceil(state.total / PAGE_SIZE);
  byId('pager').hidden = pages <= 1;
  const first = (state.page - 1) * PAGE_SIZE;
  byId('page-info').textContent = L.t('pageInfo', {
    from: first + 1,
    to: first + state.tickets.length,
    n: state.total,
  });
  byId('prev-page', HTMLButtonElement).disabled = state.page <= 1;
  byId('next-page', HTMLButtonElement).disabled = state.page >= pages;
}

function drawQueue(): void {
  renderStatuses(byId('statuses'), state.counts, state.status, L, (s) => {
    state.status = s;
    void reload();
  });
  // Redrawing replaces the rows: a keyboard user whose focus was on one keeps it on the same ticket.
  const hadFocus = page.queue.contains(document.activeElement);
  state.rows = renderQueue(page.queue, state.tickets, L, state.cursor, (id) => void openTicket(id));
  if (hadFocus) cursorRow()?.querySelector('button')?.focus();
  page.queueStatus.textContent = state.tickets.length ? L.t('queueCount', { n: state.total }) : L.t('queueEmpty');
  drawPager();
  // Filters the tickets make meaningful: teams and queue order once tickets are triaged.
  byId('team-field').hidden = state.teams.size === 0;
  setOptions(field('team') as HTMLSelectElement, [
    ['', L.t('anyTeam')],
    ...[...state.teams].sort().map((t): [string, string] => [t, t]),
  ]);
  setOptions(field('sort') as HTMLSelectElement, [
    ['newest', L.t('sortNewest')],
    ...(state.triage ? [['queue', L.t('sortQueue')] as [string, string]] : []),
  ]);
}

/** Moves the j/k cursor and opens that ticket. */
function step(by: number): void {
  if (!state.rows.length) return;
  const at = state.rows.findIndex((r) => r.dataset.id === state.cursor);
  const next = state.rows[Math.min(state.rows.length - 1, Math.max(0, at < 0 ? 0 : at + by))]!;
  next.querySelector('button')?.focus();
  void openTicket(next.dataset.id!);
}

function cursorRow(): HTMLTableRowElement | undefined {
  return state.rows.find((r) => r.dataset.id === state.cursor);
}

function markCursor(): void {
  for (const r of state.rows) {
    if (r.dataset.id === state.cursor) r.setAttribute('aria-current', 'true');
    else r.removeAttribute('aria-current');
  }
}

async function openTicket(id: string): Promise<void> {
  const mine = ++opens;
  state.cursor = id;
  markCursor();
  try {
    const t = await api.ticket(id);
    if (mine !== opens) return;
    if (state.ticket?.id !== t.id) {
      resetCanned();
      page.text.value = '';
      page.replyStatus.textContent = '';
      page.workStatus.textContent = '';
      state.offered = new Map();
    }
    showTicket(t);
  } catch (error) {
    if (mine === opens) failed(error, page.queueStatus, 'loadFailed');
  }
}

function showTicket(t: AgentTicketDetail): void {
  state.ticket = t;
  for (const a of t.articlesShown) state.offered.set(a.articleId, a.title);
  page.noTicket.hidden = true;
  page.ticket.hidden = false;
  renderTicket(t, L);
  setOptions(
    page.status,
    STATUSES.map((s): [string, string] => [s, statusName(L, s)]),
    t.status,
  );
  page.assignee.value = t.assignee ?? '';
  showTriage(t);
  drawSolutions(t.solvedWith ?? page.solvedWith.value);
  setOptions(
    page.after,
    (['pending', 'open', 'on_hold', 'solved'] as const).map((s): [string, string] => [s, statusName(L, s)]),
  );
  toggleFields();
}

/** Both "solved with" lists: no article, the articles shown, the canned answers chosen. */
function drawSolutions(chosen: string): void {
  const options: Array<[string, string]> = [['', L.t('noArticle')], ...state.offered];
  setOptions(page.solvedWith, options, chosen);
  setOptions(page.replySolvedWith, options, chosen);
}

/** What shows depends on choices: "solved with" beside a solved status; no status change after a note. */
function toggleFields(): void {
  const internal = kind() === 'internal';
  page.solvedWithField.hidden = page.status.value !== 'solved';
  byId('after-field').hidden = internal;
  byId('reply-solved-field').hidden = internal || page.after.value !== 'solved';
  page.reply.classList.toggle('internal', internal);
  byId('reply-label').textContent = L.t(internal ? 'noteText' : 'replyText');
  byId('send').textContent = L.t(internal ? 'sendNote' : 'send');
}

function kind(): 'public' | 'internal' {
  return (page.reply.elements.namedItem('kind') as RadioNodeList).value === 'internal' ? 'internal' : 'public';
}

function setKind(k: 'public' | 'internal'): void {
  (page.reply.elements.namedItem('kind') as RadioNodeList).value = k;
  toggleFields();
}

async function save(): Promise<void> {
  const t = state.ticket;
  if (!t) return;
  const change: TicketChange = {};
  const status = page.status.value as TicketStatus;
  const assignee = page.assignee.value.trim() || null;
  if (status !== t.status) change.status = status;
  if (assignee !== (t.assignee ?? null)) change.assignee = assignee;
  // Naming the solution needs the solved status in the same change (core/commands/solveWithArticle.ts).
  if (status === 'solved' && page.solvedWith.value && page.solvedWith.value !== t.solvedWith)
    Object.assign(change, { status, solvedWith: page.solvedWith.value });
  if (!Object.keys(change).length) return void (page.workStatus.textContent = L.t('saved'));
  try {
    showTicket(await api.update(t.id, { ...change, ...(me() ? { author: me() } : {}) }, t.version));
    page.workStatus.textContent = L.t('saved');
    void loadQueue();
  } catch (error) {
    const now = changedMeanwhile(error, t.id);
    if (!now) return failed(error, page.workStatus, 'saveFailed');
    refusedAsChanged(t, now, change);
  }
}

/**
 * The ticket changed after it was drawn, so the status form's change was not
 * saved: it is drawn as it is now with the agent's choices put back, and the
 * refusal says what changed, to save again or leave.
 */
function refusedAsChanged(drawn: AgentTicketDetail, now: AgentTicketDetail, mine: TicketChange): void {
  const changed: string[] = [];
  if (now.status !== drawn.status)
    changed.push(`${L.t('colStatus')}: ${statusName(L, drawn.status)} → ${statusName(L, now.status)}`);
  if ((now.assignee ?? '') !== (drawn.assignee ?? ''))
    changed.push(`${L.t('assignee')}: ${drawn.assignee || '—'} → ${now.assignee || '—'}`);
  showTicket(now);
  if (mine.status) page.status.value = mine.status;
  if (mine.assignee !== undefined) page.assignee.value = mine.assignee ?? '';
  if (mine.solvedWith) page.solvedWith.value = mine.solvedWith;
  toggleFields();
  page.workStatus.textContent = L.t('ticketChanged', { changes: changed.length ? ` (${changed.join('; ')})` : '' });
  void loadQueue();
}

async function send(): Promise<void> {
  const t = state.ticket;
  const text = page.text.value.trim();
  if (!t || !text) return void page.text.focus();
  const internal = kind() === 'internal';
  const after = page.after.value as TicketStatus;
  const author = me() ? { author: me() } : {};
  let r: AgentTicketDetail;
  try {
    r = (await api.reply(t.id, { text, internal, ...(internal ? {} : { status: after }), ...author })).ticket;
  } catch (error) {
    return failed(error, page.replyStatus, 'sendFailed');
  }
  page.text.value = '';
  const solution = page.replySolvedWith.value;
  if (!internal && after === 'solved' && solution) await nameSolution(r, solution, author);
  else showTicket(r);
  page.replyStatus.textContent = L.t(internal ? 'noteAdded' : 'sent');
  void loadQueue();
}

/**
 * The article a reply solved the ticket with. The reply is sent whatever
 * follows; naming its solution is a change like the status form's, made
 * against the version the reply left: a colleague's change in between is
 * refused, not written over, and the solution is put in the status form to
 * save again.
 */
async function nameSolution(r: AgentTicketDetail, solution: string, author: { author?: string }): Promise<void> {
  const solved: TicketChange = { status: 'solved', solvedWith: solution };
  try {
    showTicket(await api.update(r.id, { ...solved, ...author }, r.version));
  } catch (error) {
    const now = changedMeanwhile(error, r.id);
    showTicket(r);
    if (!now) return failed(error, page.workStatus, 'saveFailed');
    refusedAsChanged(r, now, solved);
  }
}

function assignToMe(): void {
  if (!state.ticket) return;
  if (!me()) {
    page.workStatus.textContent = L.t('mineNeedsName');
    return page.me.focus();
  }
  page.assignee.value = me();
  void save();
}

function failed(error: unknown, where: HTMLElement, key: 'loadFailed' | 'saveFailed' | 'sendFailed'): void {
  if (error instanceof AuthError) return showLogin(error.message);
  where.textContent = L.t(key, { error: error instanceof Error ? error.message : String(error) });
}

const resetCanned = wireCanned({
  api: () => api,
  locale: () => L,
  lang: () => state.ticket?.lang,
  chosen: ({ id, title }) => {
    setKind('public');
    state.offered.set(id, title);
    drawSolutions(id);
  },
  failed: (error) => failed(error, byId('canned-status'), 'loadFailed'),
});

const showTriage = wireTriage({
  api: () => api,
  locale: () => L,
  author: me,
  teams: () => state.teams,
  saved: (t) => {
    showTicket(t);
    void loadQueue();
  },
  failed: (error) => failed(error, byId('triage-error'), 'saveFailed'),
});

let stopRefresh: (() => void) | undefined;

function showLogin(message = ''): void {
  stopRefresh?.();
  stopRefresh = undefined;
  keyStore.clear();
  page.app.hidden = true;
  page.logout.hidden = true;
  page.login.hidden = false;
  byId('login-error').textContent = message;
  page.key.focus();
}

function showApp(keyRequired: boolean): void {
  page.login.hidden = true;
  page.app.hidden = false;
  page.logout.hidden = !keyRequired;
  void loadQueue();
  stopRefresh ??= refreshWhileVisible(document, QUEUE_REFRESH_MS, () => void loadQueue(true));
}

/** Words the page in the current language; data already loaded is drawn again, not fetched. */
function word(): void {
  applyStrings(document, L);
  page.lang.value = L.lang;
  const assignee = field('assignee') as HTMLSelectElement;
  setOptions(assignee, [
    ['', L.t('anyone')],
    ['mine', L.t('mine')],
    ['none', L.t('unassigned')],
  ]);
  setOptions(field('channel') as HTMLSelectElement, [
    ['', L.t('anyChannel')],
    ...CHANNELS.map((c): [string, string] => [c, c]),
  ]);
  drawQueue();
  if (state.ticket) showTicket(state.ticket);
  toggleFields();
}

function switchLang(value: string): void {
  const lang = toLang(value);
  if (!lang) return;
  L = localeFor(lang);
  word();
  const url = new URL(location.href);
  url.searchParams.set('lang', lang);
  history.replaceState(null, '', url);
}

function start(): void {
  page.me.value = localStorage.getItem(NAME) ?? '';
  word();
  page.lang.addEventListener('change', () => switchLang(page.lang.value));
  page.me.addEventListener('change', () => {
    localStorage.setItem(NAME, me());
    if (field('assignee').value === 'mine') void reload();
  });
  page.login.addEventListener('submit', (ev) => {
    ev.preventDefault();
    keyStore.set(page.key.value.trim());
    page.key.value = '';
    showApp(true);
  });
  page.logout.addEventListener('click', () => showLogin());
  page.filters.addEventListener('submit', (ev) => {
    ev.preventDefault();
    void reload();
  });
  page.filters.addEventListener('change', () => void reload());
  byId('prev-page').addEventListener('click', () => turnPage(-1));
  byId('next-page').addEventListener('click', () => turnPage(1));
  let typing: ReturnType<typeof setTimeout> | undefined;
  field('text').addEventListener('input', () => {
    clearTimeout(typing);
    typing = setTimeout(() => void reload(), 300);
  });
  page.work.addEventListener('submit', (ev) => {
    ev.preventDefault();
    void save();
  });
  page.status.addEventListener('change', toggleFields);
  page.after.addEventListener('change', toggleFields);
  page.reply.addEventListener('change', toggleFields);
  byId('assign-me').addEventListener('click', assignToMe);
  page.reply.addEventListener('submit', (ev) => {
    ev.preventDefault();
    void send();
  });
  page.text.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) {
      ev.preventDefault();
      void send();
    }
  });
  byId('help').addEventListener('click', () => page.keys.showModal());
  const inTicket = (fn: () => void) => () => state.ticket && !page.app.hidden && fn();
  wireShortcuts(document, {
    j: () => step(1),
    k: () => step(-1),
    o: () => state.cursor && void openTicket(state.cursor),
    r: inTicket(() => (setKind('public'), page.text.focus())),
    n: inTicket(() => (setKind('internal'), page.text.focus())),
    c: inTicket(() => byId('canned-q').focus()),
    s: inTicket(() => page.status.focus()),
    a: inTicket(assignToMe),
    t: inTicket(() => byId('tr-type').focus()),
    '/': () => field('text').focus(),
    '?': () => page.keys.showModal(),
    leave: () =>
      state.rows
        .find((r) => r.dataset.id === state.cursor)
        ?.querySelector('button')
        ?.focus(),
  });
  // A server without DEFLECT_API_KEYS lets this machine in without a key (local mode).
  void readAccess().then(({ keyRequired }) => {
    if (keyRequired && !keyStore.get()) return showLogin();
    showApp(keyRequired);
  });
}

start();
