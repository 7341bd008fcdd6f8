// The leads' dashboard. Data comes from /api/reports/* with the key from
// sessionStorage as a Bearer token; everything is rendered with textContent,
// and charts (SVG drawn by the server) are shown as images, which cannot run scripts.
const KEY = 'deflect.reportsKey';
const $ = (id) => document.getElementById(id);

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
}

const pct = (x) => `${Math.round(x * 1000) / 10}%`;
const isoDay = (d) => d.toISOString().slice(0, 10);

class AuthError extends Error {}

async function api(path, options = {}) {
  const key = sessionStorage.getItem(KEY);
  const res = await fetch(path, { ...options, headers: { ...(options.headers || {}), ...(key ? { Authorization: `Bearer ${key}` } : {}) } });
  if (res.status === 401 || res.status === 403) {
    const body = await res.json().catch(() => ({}));
    throw new AuthError(body.error?.message || 'This key may not see reports');
  }
  if (!res.ok) {
    const body = await res.json().catch(() => ({}));
    throw new Error(body.error?.message || res.statusText);
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
  $('status').textContent = 'Loading…';
  try {
    const data = await (await api(`/api/reports/dashboard?${period()}`)).json();
    render(data);
    $('status').textContent = `Updated ${new Date().toLocaleTimeString()}`;
  } catch (error) {
    if (error instanceof AuthError) return showLogin(error.message);
    $('status').textContent = `Could not load the reports: ${error.message}`;
  }
}

function render(d) {
  const t = d.totals;
  const kpis = [
    ['Questions', t.questions],
    ['Deflection rate', pct(t.deflectionRate)],
    ['Confirmed only', pct(t.confirmedDeflectionRate)],
    ['Self-served', t.selfServed],
    ['Escalated', t.escalated],
    ['Tickets', t.tickets],
    ['Unanswered', t.unanswered],
  ];
  $('kpis').replaceChildren(
    ...kpis.map(([label, value]) => {
      const box = el('div');
      box.dataset.kpi = label;
      box.append(el('dt', label), el('dd', value));
      return box;
    }),
  );
  $('definitions').textContent = `Self-served: answered or offered articles, and no ticket from the conversation or the same person within ${d.period.windowDays} days. ${t.windowOpen ? `${t.windowOpen} self-served questions are still inside their window.` : ''}`;
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
    const cell = el('td', 'No gaps in this period.', 'muted');
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
      const why = [g.unanswered && `${g.unanswered} unanswered`, g.notHelpful && `${g.notHelpful} not helpful`, g.ticket && `${g.ticket} ticket`].filter(Boolean).join(', ');
      const tags = el('td');
      for (const tag of g.suggestedTags.length ? g.suggestedTags : g.keywords) tags.append(el('span', tag, 'tag'));
      const button = el('button', 'Make draft', 'secondary');
      button.type = 'button';
      button.addEventListener('click', () => makeDraft(g, button));
      const action = el('td');
      action.append(button);
      row.append(el('td', g.count, 'num'), el('td', g.lang), cellWith(examples), el('td', why), el('td', g.nearestTitle ? `${g.nearestTitle} (${g.nearestConfidence})` : '—'), tags, action);
      return row;
    }),
  );
}

function renderHealth(rows) {
  const body = $('health').tBodies[0];
  if (!rows.length) {
    const row = el('tr');
    const cell = el('td', 'Every article is in good health.', 'muted');
    cell.colSpan = 7;
    row.append(cell);
    return body.replaceChildren(row);
  }
  body.replaceChildren(
    ...rows.map((a) => {
      const row = el('tr');
      row.append(
        el('td', a.title || a.articleId),
        el('td', a.shown, 'num'),
        el('td', a.confirmed, 'num'),
        el('td', a.notHelpful, a.notHelpful > a.confirmed ? 'num bad' : 'num'),
        el('td', a.ticketsAfterShown, 'num'),
        el('td', a.lastUpdated || '—'),
        el('td', a.reviewBy ? `${a.reviewBy}${a.reviewOverdue ? ' (overdue)' : ''}` : '—', a.reviewOverdue ? 'overdue' : ''),
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
    const res = await api(`/api/reports/gaps/${encodeURIComponent(gap.id)}/draft`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ from: p.get('from'), to: p.get('to') }) });
    const draft = await res.json();
    $('draft-result').textContent = `Draft written: ${draft.file} (${draft.questions} questions). Finish the answer, then commit it.`;
    button.textContent = 'Draft made';
  } catch (error) {
    if (error instanceof AuthError) return showLogin(error.message);
    $('draft-result').textContent = `Could not make the draft: ${error.message}`;
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
    $('status').textContent = `Could not download: ${error.message}`;
  }
}

function start() {
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
