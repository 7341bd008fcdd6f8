import type { AnswerCard, Lang } from '../contracts/api.ts';
import type { TicketDraft } from './ticketFlow.ts';

/**
 * What a channel keeps of a person's conversation between messages (the
 * bot in botbuilder's state, WhatsApp in the channel state): the language
 * spoken, and what the last reply asked of the person.
 */
export interface DialogState {
  lang?: Lang;
  /** What the last message asked of the user; the next message is read as its answer. */
  awaiting?: Awaiting;
}

/**
 * What the conversation waits for, one thing at a time:
 * - `verdict`: an answer was shown; "Yes, solved" or "No" judges that article;
 * - `choice`: articles were offered; picking one (its title, or its id from a list) asks for it;
 * - `ticketOffer`: a ticket was offered; a plain "yes" accepts it, "no" declines;
 * - `ticket`: a ticket is being put together, one step at a time.
 * Anything else the user types is a new question.
 */
export type Awaiting =
  | { kind: 'verdict'; articleId: string }
  | { kind: 'choice'; offered: { articleId: string; title: string }[] }
  | { kind: 'ticketOffer' }
  | { kind: 'ticket'; draft: TicketDraft };

/** A quick reply: what it means (`id`), the words shown, and words short enough for channels that cap button titles (WhatsApp: 20). */
export interface DialogButton {
  id: 'solved' | 'notSolved' | 'openTicket' | 'noThanks' | 'confirmYes' | 'cancel';
  label: string;
  short?: string;
}

/**
 * One message of the conversation, channel-neutral: each channel renders it
 * its own way (the bot as hero cards and suggested actions, WhatsApp as
 * text, reply buttons and list messages). Pressing a button sends its label
 * back as text, which the intents recognise in both languages.
 */
export type DialogReply =
  | {
      kind: 'answer';
      answer: AnswerCard;
      /** The answer exists only in the other language: the sentence that says so. */
      notice?: string;
      /** "Did this help?", for channels that ask it in words. */
      question: string;
      buttons: DialogButton[];
    }
  | {
      kind: 'choices';
      prompt: string;
      options: { articleId: string; title: string }[];
      /** "None of these" (its label). */
      none: string;
      /** The label of a button that opens the list, where the channel needs one (WhatsApp). */
      open: string;
    }
  | { kind: 'text'; text: string; buttons: DialogButton[] };
