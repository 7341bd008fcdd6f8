import { emailIn, isCancel, isNo, isYes } from './intents.ts';
import type { DialogStrings } from './strings.ts';
import type { DialogButton, DialogReply } from './types.ts';

/** A ticket being put together, kept in the conversation state between turns. */
export interface TicketDraft {
  step: 'describe' | 'email' | 'confirm';
  name?: string;
  userId?: string;
  email?: string;
  /** Asked only when the conversation has no question yet to use as the subject. */
  description?: string;
  /** The channel replies to the person itself (WhatsApp): no e-mail address is asked for. */
  repliesHere?: boolean;
}

/** Where the user's answer leads: the next question, a cancelled flow, or a ticket to open. */
export type TicketStep =
  { kind: 'ask'; draft: TicketDraft; invalid?: boolean } | { kind: 'cancel' } | { kind: 'create'; draft: TicketDraft };

const MAX_DESCRIPTION = 2000;

/** Start from what the channel already knows; ask only for what is missing. */
export function startTicket(
  known: { name?: string; userId?: string; email?: string; repliesHere?: boolean },
  hasQuestion: boolean,
): TicketDraft {
  const draft: TicketDraft = { step: 'confirm', ...known };
  if (!draft.email && !draft.repliesHere) draft.step = 'email';
  if (!hasQuestion) draft.step = 'describe';
  return draft;
}

/** The user's answer to the current step. "Cancel" ends the flow at any step. */
export function continueTicket(draft: TicketDraft, text: string): TicketStep {
  if (isCancel(text)) return { kind: 'cancel' };
  switch (draft.step) {
    case 'describe': {
      if (!text.trim()) return { kind: 'ask', draft, invalid: true };
      const next = { ...draft, description: text.trim().slice(0, MAX_DESCRIPTION) };
      return { kind: 'ask', draft: { ...next, step: next.email || next.repliesHere ? 'confirm' : 'email' } };
    }
    case 'email': {
      const email = emailIn(text);
      return email
        ? { kind: 'ask', draft: { ...draft, email, step: 'confirm' } }
        : { kind: 'ask', draft, invalid: true };
    }
    case 'confirm': {
      if (isYes(text)) return { kind: 'create', draft };
      // Typing another address at the confirmation corrects it.
      const email = emailIn(text);
      if (email) return { kind: 'ask', draft: { ...draft, email } };
      if (isNo(text)) return { kind: 'cancel' };
      return { kind: 'ask', draft };
    }
  }
}

/** The question for the current step, with a way out. */
export function ticketPrompt(step: Extract<TicketStep, { kind: 'ask' }>, s: DialogStrings): DialogReply {
  const { draft, invalid } = step;
  const cancel: DialogButton = { id: 'cancel', label: s.cancel };
  switch (draft.step) {
    case 'describe':
      return { kind: 'text', text: s.askDescription, buttons: [cancel] };
    case 'email':
      return { kind: 'text', text: invalid ? s.badEmail : s.askEmail(draft.name), buttons: [cancel] };
    case 'confirm': {
      const text =
        draft.repliesHere && !draft.email ? s.confirmHere(draft.name) : s.confirm(draft.email ?? '', draft.name);
      return { kind: 'text', text, buttons: [{ id: 'confirmYes', label: s.confirmYes }, cancel] };
    }
  }
}
