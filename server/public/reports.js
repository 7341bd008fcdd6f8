// The leads' dashboard. Data comes from /api/reports/* with the key from
// sessionStorage as a Bearer token; everything is rendered with textContent,
// and charts (SVG drawn by the server) are shown as images, which cannot run scripts.
// Words and formats come from reports.i18n.js; the server draws the charts' text
// in the same language (?lang= on the dashboard API).
import { applyStrings, errorText, fillWith, localeFor, resolveLang } from './reports.i18n.js';
import { renderPhrasings } from './reports.phrasings.js';

const KEY = 'deflect.reportsKey';
const $ = (id) => document.getElementById(id);
let L = localeFor(resolveLang(location.search, navigator.languages));
// Each load gets a number, so a slow answer in the old language cannot overwrite a newer one.
let loads = 0;

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
}

const isoDay = (d) => d.toISOString().slice(0, 10);

class AuthError extends Error {}

async function api(path, options = {}) {
  const key = sessionStorage.getItem(KEY);
  const res = await fetch(path, {
    ...options,
    headers: { ...(options.headers || {}), ...(key ? { Authorization: `Bearer ${key}` } : {}) },
  });
  if (res.status === 401 || res.status === 403) {
    const body = await res.json().catch(() => ({}));
    throw new AuthError(body.error ? errorText(L, body.error) : L.t('noAccess'));
  }
  if (!res.ok) {
    const body = await res.json().catch(() => ({}));
    throw new Error(errorText(L, body.error, res.statusText));
  }
  return res;
}

function showLogin(message) {
  sessionStorage.removeItem(KEY);
  $('app').hidden = true;
  $('logout').hidden = true;
  $('login').hidden = false;
  $('login-error').textContent = message || '';
  $('key').focus();
}

function period() {
  const f = $('period');
  return new URLSearchParams({ from: f.from.value, to: f.to.value });
}

async function load() {
  const mine = ++loads;
  $('status').textContent = L.t('loading');
  try {
    const query = period();
    query.set('lang', L.lang);
    const [data, phrasings] = await Promise.all([
      api(`/api/reports/dashboard?${query}`).then((r) => r.json()),
      api(`/api/reports/phrasings?${period()}`).then((r) => r.json()),
    ]);
    if (mine !== loads) return;
    render(data);
    renderPhrasings($('phrasings').tBodies[0], phrasings.articles, L);
    $('status').textContent = L.t('updated', { time: L.time(new Date()) });
  } catch (error) {
    if (mine !== loads) return;
    if (error instanceof AuthError) return showLogin(error.message);
    $('status').textContent = L.t('loadFailed', { error: error.message });
  }
}

function render(d) {
  const t = d.totals;
  // [stable name, label key, value]: data-kpi keeps the English name in every
  // language, a hook for tests and scripts that does not move with the words.
  const kpis = [
    ['Questions', 'kpiQuestions', L.number(t.questions)],
    ['Deflection rate', 'kpiDeflectionRate', L.percent(t.deflectionRate)],
    ['Confirmed only', 'kpiConfirmed', L.percent(t.confirmedDeflectionRate)],
    ['Self-served', 'kpiSelfServed', L.number(t.selfServed)],
    ['Escalated', 'kpiEscalated', L.number(t.escalated)],
    ['Tickets', 'kpiTickets', L.number(t.tickets)],
    ['Unanswered', 'kpiUnanswered', L.number(t.unanswered)],
  ];
  $('kpis').replaceChildren(
    ...kpis.map(([name, label, value]) => {
      const box = el('div');
      box.dataset.kpi = name;
      box.append(el('dt', L.t(label)), el('dd', value));
      return box;
    }),
  );
  const open = t.windowOpen ? ` ${L.t('windowOpen', { n: t.windowOpen })}` : '';
  $('definitions').textContent = L.t('definitions', { n: d.period.windowDays }) + open;
  for (const [name, svg] of Object.entries(d.charts)) {
    $(`chart-${name}`).src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  }
  renderGaps(d.gaps);
  renderHealth(d.health);
}

function renderGaps(gaps) {
  const body = $('gaps').tBodies[0];
  if (!gaps.length) {
    const row = el('tr');
    const cell = el('td', L.t('noGaps'), 'muted');
    cell.colSpan = 7;
    row.append(cell);
    return body.replaceChildren(row);
  }
  body.replaceChildren(
    ...gaps.map((g) => {
      const row = el('tr');
      row.dataset.gap = g.id;
      const examples = el('ul', null, 'examples');
      for (const x of g.examples) examples.append(el('li', x));
      const why = [
        g.unanswered && L.t('whyUnanswered', { n: g.unanswered }),
        g.notHelpful && L.t('whyNotHelpful', { n: g.notHelpful }),
        g.ticket && L.t('whyTicket', { n: g.ticket }),
      ]
        .filter(Boolean)
        .join(', ');
      const tags = el('td');
      for (const tag of g.suggestedTags.length ? g.suggestedTags : g.keywords) tags.append(el('span', tag, 'tag'));
      const button = el('button', L.t('makeDraft'), 'secondary');
      button.type = 'button';
      button.addEventListener('click', () => makeDraft(g, button));
      const action = el('td');
      action.append(button);
      const nearest = g.nearestTitle ? `${g.nearestTitle} (${L.number(g.nearestConfidence)})` : '—';
      row.append(
        el('td', L.number(g.count), 'num'),
        el('td', g.lang),
        cellWith(examples),
        el('td', why),
        el('td', nearest),
        tags,
        action,
      );
      return row;
    }),
  );
}

function renderHealth(rows) {
  const body = $('health').tBodies[0];
  if (!rows.length) {
    const row = el('tr');
    const cell = el('td', L.t('allHealthy'), 'muted');
    cell.colSpan = 7;
    row.append(cell);
    return body.replaceChildren(row);
  }
  body.replaceChildren(
    ...rows.map((a) => {
      const row = el('tr');
      row.append(
        el('td', a.title || a.articleId),
        el('td', L.number(a.shown), 'num'),
        el('td', L.number(a.confirmed), 'num'),
        el('td', L.number(a.notHelpful), a.notHelpful > a.confirmed ? 'num bad' : 'num'),
        el('td', L.number(a.ticketsAfterShown), 'num'),
        el('td', L.day(a.lastUpdated) || '—'),
        el(
          'td',
          a.reviewBy ? (a.reviewOverdue ? L.t('overdue', { date: L.day(a.reviewBy) }) : L.day(a.reviewBy)) : '—',
          a.reviewOverdue ? 'overdue' : '',
        ),
      );
      return row;
    }),
  );
}

function cellWith(child) {
  const td = el('td');
  td.append(child);
  return td;
}

async function makeDraft(gap, button) {
  button.disabled = true;
  try {
    const p = period();
    const res = await api(`/api/reports/gaps/${encodeURIComponent(gap.id)}/draft`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ from: p.get('from'), to: p.get('to') }),
    });
    const draft = await res.json();
    $('draft-result').textContent = L.t('draftWritten', { file: draft.file, n: draft.questions });
    button.textContent = L.t('draftMade');
  } catch (error) {
    if (error instanceof AuthError) return showLogin(error.message);
    $('draft-result').textContent = L.t('draftFailed', { error: error.message });
    button.disabled = false;
  }
}

async function download(button) {
  const p = period();
  p.set('format', 'csv');
  if (button.dataset.group) p.set('groupBy', button.dataset.group);
  try {
    const blob = await (await api(`/api/reports/${button.dataset.report}?${p}`)).blob();
    const a = el('a');
    a.href = URL.createObjectURL(blob);
    a.download = `${button.dataset.report}${button.dataset.group ? `-by-${button.dataset.group}` : ''}-${p.get('from')}-${p.get('to')}.csv`;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  } catch (error) {
    if (error instanceof AuthError) return showLogin(error.message);
    $('status').textContent = L.t('downloadFailed', { error: error.message });
  }
}

/** Words the static page in the current language (the rendered data is redone by load()). */
function word() {
  applyStrings(document, L);
  const role = (name) => () => el('strong', name);
  // Role names stay as written in DEFLECT_API_KEYS, whatever the language.
  fillWith($('login-help'), L.t('signInHelp'), { lead: role('lead'), admin: role('admin') });
  $('lang').value = L.lang;
}

/** The language switch: no reload, so the key and the period stay; the URL keeps the choice. */
function switchLang(lang) {
  L = localeFor(lang);
  word();
  const url = new URL(location.href);
  url.searchParams.set('lang', lang);
  history.replaceState(null, '', url);
  if (!$('app').hidden) load();
}

function start() {
  word();
  $('lang').addEventListener('change', () => switchLang($('lang').value));
  const today = new Date();
  $('period').from.value = isoDay(new Date(today.getTime() - 29 * 86_400_000));
  $('period').to.value = isoDay(today);
  $('login').addEventListener('submit', (ev) => {
    ev.preventDefault();
    sessionStorage.setItem(KEY, $('key').value.trim());
    $('key').value = '';
    $('login').hidden = true;
    $('app').hidden = false;
    $('logout').hidden = false;
    load();
  });
  $('period').addEventListener('submit', (ev) => {
    ev.preventDefault();
    load();
  });
  $('logout').addEventListener('click', () => showLogin());
  for (const b of document.querySelectorAll('button.csv')) b.addEventListener('click', () => download(b));
  // A server without DEFLECT_API_KEYS lets this machine in without a key (local mode).
  fetch('/api/access')
    .then((res) => res.json())
    .catch(() => ({ keyRequired: true }))
    .then(({ keyRequired }) => {
      if (keyRequired && !sessionStorage.getItem(KEY)) return showLogin();
      $('app').hidden = false;
      $('logout').hidden = !keyRequired;
      load();
    });
}

start();
