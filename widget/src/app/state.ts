import type { AnswerCard, Lang, Suggestion } from '../../../core/contracts/api.ts';
import { readStored, storageKey, writeStored } from '../shared/storage.ts';

/** What can be retried after a failed request; plain data so it survives navigation. */
export type Retry =
  { op: 'ask'; text: string; articleId?: string } | { op: 'feedback'; articleId: string; helpful: boolean };

/**
 * One entry of the conversation as the widget shows it. A reply carries the
 * language the server answered in (`lang`): its buttons are in that language,
 * which may not be the page's ("olvidé mi contraseña" on an English page).
 */
export type Msg =
  | { t: 'user'; text: string }
  | { t: 'bot'; text: string; lang?: Lang }
  | { t: 'card'; card: AnswerCard; otherLang?: boolean; fb?: 'yes' | 'no'; lang?: Lang }
  | { t: 'choices'; text: string; items: Suggestion[]; none?: boolean; done?: boolean; lang?: Lang }
  | { t: 'offer'; text: string; done?: boolean; lang?: Lang }
  | { t: 'ticket'; id: string; email: string }
  | { t: 'error'; text: string; retry: Retry; done?: boolean };

export interface TicketDraft {
  email: string;
  name: string;
  description: string;
}

/** Everything kept in sessionStorage between pages. */
export interface ConversationState {
  v: 1;
  conversationId?: string;
  /** The conversation's language, as the server last answered: the replies' strings follow it. */
  lang?: Lang;
  open: boolean;
  view: 'chat' | 'ticket' | 'mine';
  msgs: Msg[];
  draft?: TicketDraft;
}

/** Loads the saved conversation for this server, or starts a new one. */
export function loadState(base: string): ConversationState {
  const saved = readStored<ConversationState>(storageKey(base));
  if (saved && saved.v === 1 && Array.isArray(saved.msgs)) return saved;
  return freshState(false);
}

/** Saves the conversation for the next page of the same tab. */
export function saveState(base: string, state: ConversationState): void {
  // A conversation cut to its last 60 entries keeps storage small.
  writeStored(storageKey(base), { ...state, msgs: state.msgs.slice(-60) });
}

/** An empty conversation. */
export function freshState(open: boolean): ConversationState {
  return { v: 1, open, view: 'chat', msgs: [] };
}
