import type { Lang, MyTicketResponse, UserIdentity } from '../../../core/contracts/api.ts';
import type { Strings } from '../i18n/strings.ts';
import { RequestFailed, type Client, type TicketKey } from './client.ts';
import { button, h } from './dom.ts';
import { readTicketKeys, saveTicketKey } from './ticketKeys.ts';
import { expected, renderThread } from './ticketThread.ts';

type Summary = Omit<MyTicketResponse, 'messages'>;

export interface MyRequestsDeps {
  strings: Strings;
  lang: Lang;
  base: string;
  client: Client;
  /** The view's element, emptied and filled on each screen. */
  el: HTMLElement;
  user(): UserIdentity | undefined;
  onBack(): void;
}

/** Whether "My requests" has anything to show: a token kept in this browser, or a verified user. */
export function hasRequests(base: string, user: UserIdentity | undefined): boolean {
  return Object.keys(readTicketKeys(base)).length > 0 || verified(user);
}

/**
 * "My requests / Mis solicitudes": the tickets opened in this browser (their
 * follow-up tokens) and, for a verified user, every ticket of theirs; one
 * request with its thread, a reply box (which reopens a pending or solved
 * one) and the rating once solved.
 */
export function createMyRequests(d: MyRequestsDeps) {
  const s = d.strings;
  let seq = 0;
  const keyFor = (id: string): TicketKey => ({ token: readTicketKeys(d.base)[id], user: d.user() });

  /** Replaces the view with a back button, a focusable heading and `body`; returns the heading. */
  function screen(title: string, back: [string, () => void], ...body: HTMLElement[]): HTMLElement {
    const heading = h('h3', { class: 'd-view-title', tabindex: '-1' }, title);
    d.el.textContent = '';
    d.el.append(button(back[0], back[1], { class: 'd-back' }), heading, ...body);
    return heading;
  }
  function failed(status: HTMLElement, again: () => void) {
    status.textContent = s.loadFailed;
    status.after(button(s.retry, again, { class: 'd-secondary' }));
  }

  async function list(focus: boolean) {
    const n = ++seq;
    const status = h('p', { class: 'd-intro', role: 'status' }, s.loading);
    const items = h('ul', { class: 'd-reqs' });
    const heading = screen(s.myRequests, [s.back, d.onBack], status, items);
    if (focus) heading.focus();
    let found: Summary[];
    try {
      found = await load();
    } catch {
      return n === seq && failed(status, () => void list(true));
    }
    if (n !== seq) return;
    status.textContent = found.length ? '' : s.noRequests;
    for (const t of found)
      items.appendChild(
        h(
          'li',
          {},
          button(
            [
              h('span', { class: 'd-req-subject' }, t.subject),
              h('span', { class: 'd-req-meta' }, `${t.id} · ${t.statusLabel}`),
              expected(t, s, d.lang),
            ],
            () => void open(t.id, true),
            { class: 'd-req' },
          ),
        ),
      );
  }

  /** The verified user's tickets and those whose tokens this browser keeps, newest first. */
  async function load(): Promise<Summary[]> {
    const user = d.user();
    const keys = readTicketKeys(d.base);
    const theirs = verified(user)
      ? d.client.myTickets(user!, d.lang).then(
          (r) => r.tickets,
          // An identity the server does not vouch for lists nothing; the tokens still work.
          (e: unknown) => (e instanceof RequestFailed && e.status === 401 ? [] : Promise.reject(e)),
        )
      : [];
    const kept = Object.keys(keys).map((id) =>
      d.client.myTicket(id, { token: keys[id] }, d.lang).catch((e: unknown) => {
        // Gone (retention, erasure): forget its token.
        if (e instanceof RequestFailed && e.status === 404) return saveTicketKey(d.base, id, undefined);
        throw e;
      }),
    );
    const byId = new Map<string, Summary>();
    for (const t of [...(await theirs), ...(await Promise.all(kept))]) if (t) byId.set(t.id, t);
    return [...byId.values()].sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1));
  }

  async function open(id: string, focus: boolean, notice = '') {
    const n = ++seq;
    const back: [string, () => void] = [s.allRequests, () => void list(true)];
    const status = h('p', { class: 'd-intro', role: 'status' }, s.loading);
    let heading = screen(id, back, status);
    if (focus) heading.focus();
    let t: MyTicketResponse;
    try {
      t = await d.client.myTicket(id, keyFor(id), d.lang);
    } catch {
      return n === seq && failed(status, () => void open(id, true));
    }
    if (n !== seq) return;
    status.textContent = notice;
    status.className = notice ? 'd-notice' : 'd-sr';
    const refresh = button(s.refresh, () => void open(id, true), { class: 'd-secondary d-refresh' });
    heading = screen(
      t.subject,
      back,
      status,
      ...renderThread(t, s, d.lang, {
        reply: async (text) => {
          const r = await d.client.writeMyTicket(id, keyFor(id), text);
          // On a closed ticket the message opened a follow-up, with its own token.
          if (r.followUp) saveTicketKey(d.base, r.ticketId, r.followUp.token);
          await open(r.ticketId, true, r.ticketId !== id ? s.followUpOpened(r.ticketId) : '');
        },
        rate: async (score, comment) => {
          await d.client.rateMyTicket(id, keyFor(id), { score, ...(comment ? { comment } : {}) });
          await open(id, true, s.rated);
        },
      }),
      refresh,
    );
    if (focus) heading.focus();
  }

  return { list, open };
}

function verified(user: UserIdentity | undefined): boolean {
  return !!(user && user.id && user.hash);
}
