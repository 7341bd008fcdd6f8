// One ticket: who and why, the question that failed, the conversation before
// it, the articles shown with their scores and verdicts, and the thread with
// internal notes marked (in words, not only in colour).
import type { AgentTicketDetail, AgentTicketMessage } from '../../core/contracts/agent.ts';
import { byId, el } from './dom.ts';
import type { Locale, StringKey } from './i18n/index.ts';
import { nextDue, statusName } from './queue.ts';

/** Fills the ticket's read-only parts; the forms are set by the caller. */
export function renderTicket(t: AgentTicketDetail, L: Locale): void {
  byId('ticket-h').textContent = `${t.id} · ${t.subject}`;
  renderMeta(t, L);
  const failed = byId('failed');
  failed.textContent = t.failedQuestion ?? L.t('noFailedQuestion');
  failed.classList.toggle('muted', !t.failedQuestion);

  const turns = byId('transcript');
  turns.replaceChildren(
    ...t.transcript.map((turn) => {
      const li = el('li', undefined, turn.role);
      li.append(el('span', `${L.t(turn.role === 'user' ? 'roleUser' : 'roleBot')} · ${L.when(turn.at)}`, 'who'));
      li.append(turn.text);
      return li;
    }),
  );
  if (!t.transcript.length) turns.replaceChildren(el('li', L.t('noTranscript'), 'muted'));

  const shown = byId('shown', HTMLTableElement).tBodies[0]!;
  shown.replaceChildren(
    ...t.articlesShown.map((a) => {
      const row = el('tr');
      row.dataset.article = a.articleId;
      const verdict =
        a.helpful === null
          ? el('td', L.t('noVerdict'), 'muted')
          : el('td', L.t(a.helpful ? 'helpful' : 'notHelpful'), a.helpful ? 'good' : 'bad');
      row.append(el('td', a.title), el('td', L.percent(a.confidence)), verdict);
      return row;
    }),
  );
  if (!t.articlesShown.length) {
    const cell = el('td', L.t('noArticlesShown'), 'muted');
    cell.colSpan = 3;
    const row = el('tr');
    row.append(cell);
    shown.replaceChildren(row);
  }

  const thread = byId('thread');
  // Notes written through PATCH (the older field) are internal notes too: one thread, in time order.
  const legacy: AgentTicketMessage[] = t.notes.map((n, i) => ({
    id: `note-${i}`,
    from: 'agent',
    text: n.text,
    internal: true,
    at: n.at,
    author: n.author,
  }));
  const messages = [...t.messages, ...legacy].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  thread.replaceChildren(...messages.map((m) => message(m, L)));
  if (!messages.length) thread.replaceChildren(el('li', L.t('noMessages'), 'muted'));
}

function message(m: AgentTicketMessage, L: Locale): HTMLLIElement {
  const li = el('li', undefined, `${m.from}${m.internal ? ' internal' : ''}`);
  li.dataset.internal = String(m.internal);
  const who = el('span', undefined, 'who');
  if (m.internal) who.append(el('span', L.t('internalNote'), 'badge'));
  const from = L.t(m.from === 'customer' ? 'fromCustomer' : m.from === 'agent' ? 'fromAgent' : 'fromSystem');
  who.append(`${m.author && m.from === 'agent' ? m.author : from} · ${L.when(m.at)}`);
  li.append(who, m.text);
  return li;
}

function renderMeta(t: AgentTicketDetail, L: Locale): void {
  const rows: Array<[StringKey, string]> = [
    ['customer', t.name ? `${t.name} <${t.email}>` : t.email],
    ['colStatus', statusName(L, t.status) + (t.reopens ? ` (${L.t('reopens', { n: t.reopens })})` : '')],
    ['colChannel', `${t.channel} · ${t.lang}`],
    ['created', L.when(t.createdAt)],
    ['reason', L.t(`reason_${t.reason}` as StringKey)],
  ];
  if (t.description) rows.push(['description', t.description]);
  // Type, priority, category, team and tags are in the triage form (triage.ts), where they can be changed.
  const due = nextDue(t);
  if (due) rows.push(['colDue', L.when(due)]);
  byId('ticket-meta').replaceChildren(...rows.flatMap(([key, value]) => [el('dt', L.t(key)), el('dd', value)]));
}
