import type { Action, Channel, Lang } from '../contracts/api.ts';

/** An article shown to a user, with the engine's confidence in it. */
export interface Shown {
  articleId: string;
  confidence: number;
}

interface Base {
  id: string;
  /** ISO time. */
  at: string;
  conversationId: string;
  channel: Channel;
  lang: Lang;
  /** Known identity of the asker; e-mail and name are erasable. */
  user?: { id?: string; email?: string; name?: string };
}

/** A question and the engine's decision on it. */
export interface QuestionEvent extends Base {
  type: 'question';
  question: string;
  /** The user picked the article from a list; `question` is its title. */
  selected?: true;
  action: Action;
  /** The article answered (action answer). */
  articleId?: string;
  /** Articles displayed to the user: the answer and suggestions, or the clarify options. */
  shown: Shown[];
  /** The engine's best candidates, displayed or not (nearest article for gap reports, next suggestions after a "No"). */
  ranked: Shown[];
  /** What the user was told, as plain text (for transcripts). */
  reply: string;
}

export interface FeedbackEvent extends Base {
  type: 'feedback';
  articleId: string;
  helpful: boolean;
  next: 'resolved' | 'suggestions' | 'offer_ticket';
  shown: Shown[];
  reply: string;
}

export interface TicketEvent extends Base {
  type: 'ticket';
  ticketId: string;
  /** user: asked for a person; not_helpful: after a "No"; no_answer: nothing fitted. */
  reason: 'user' | 'not_helpful' | 'no_answer';
}

/**
 * An agent solved a ticket with an article: the questions that led to the
 * ticket are candidate phrasings of that article (core/phrasings). Not a
 * ticket and not a question: reports of deflection leave it out.
 */
export interface SolvedEvent extends Base {
  type: 'solved';
  ticketId: string;
  articleId: string;
  /** The ticket's failed question(s), as the user typed them. */
  questions: string[];
}

/** The first public agent reply to a ticket (a bot answer or an internal note is not one). */
export interface TicketFirstResponseEvent extends Base {
  type: 'ticket_first_response';
  ticketId: string;
  /** From the ticket's creation to the reply. */
  afterMs: number;
  agent?: string;
}

/** A ticket became solved (again, after a reopen: each resolution is one event). */
export interface TicketResolvedEvent extends Base {
  type: 'ticket_resolved';
  ticketId: string;
  /** From the ticket's creation to this resolution. */
  afterMs: number;
  /** Reopens before this resolution. */
  reopens: number;
  agent?: string;
}

/** A customer wrote on a pending or solved ticket, and it opened again. */
export interface TicketReopenedEvent extends Base {
  type: 'ticket_reopened';
  ticketId: string;
  from: 'pending' | 'solved';
}

/** A user's personal data was erased on request; kept so the erase itself is on record. */
export interface ErasureEvent extends Omit<Base, 'user'> {
  type: 'erasure';
  subjectHash: string;
  counts: Record<string, number>;
}

export type TicketLifecycleEvent = TicketFirstResponseEvent | TicketResolvedEvent | TicketReopenedEvent;

export type DeflectEvent =
  QuestionEvent | FeedbackEvent | TicketEvent | SolvedEvent | ErasureEvent | TicketLifecycleEvent;

/** The steps of a conversation (what conversations and the deflection report fold); every other event is a record beside them. */
export type ConversationStepEvent = QuestionEvent | FeedbackEvent | TicketEvent;

/** One rule for every reader: only questions, feedback and tickets are steps of a conversation. */
export function isConversationStep(e: DeflectEvent): e is ConversationStepEvent {
  return e.type === 'question' || e.type === 'feedback' || e.type === 'ticket';
}
export type NewEvent = DistributiveOmit<DeflectEvent, 'id' | 'at'> & { at?: string };
type DistributiveOmit<T, K extends keyof any> = T extends unknown ? Omit<T, K> : never;
