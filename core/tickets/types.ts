import type { OwedDelivery } from '../storage/ports.ts';
import type { OwedChange } from './outbox.ts';
import type { Channel, Lang, TicketScore, TicketStatus } from '../contracts/api.ts';
import type { Turn } from '../conversations/types.ts';

export interface Ticket {
  id: string;
  status: TicketStatus;
  createdAt: string;
  updatedAt: string;
  channel: Channel;
  lang: Lang;
  email: string;
  name?: string;
  userId?: string;
  /** The user id the widget's identity HMAC (or the channel) vouched for at creation: who may list it without a token. */
  verifiedUserId?: string;
  subject: string;
  description?: string;
  reason: 'user' | 'not_helpful' | 'no_answer';
  conversationId?: string;
  /** The conversation up to the ticket, so the agent does not ask again. */
  transcript: Turn[];
  /** Articles the user saw, with the engine's confidence and the user's verdict. */
  shown: { articleId: string; title: string; confidence: number; helpful?: boolean }[];
  /** The question the knowledge base could not settle. */
  failedQuestion?: string;
  assignee?: string;
  /** The article an agent named as the solution (core/phrasings/solveWithArticle.ts). */
  solvedWith?: string;
  tags: string[];
  notes: { at: string; text: string; author?: string }[];
  /** The thread with the customer, and the agents' internal messages (never shown to the customer). */
  messages: TicketMessage[];
  /** SHA-256 (hex) of the customer's follow-up token; the token itself is never stored. */
  followUpHash?: string;
  /** Times a customer message took the ticket back from pending or solved to open. */
  reopens?: number;
  /** The first public agent reply (core/tickets/lifecycle.ts). */
  firstResponseAt?: string;
  /** The last time the ticket became solved. */
  solvedAt?: string;
  closedAt?: string;
  rating?: { score: TicketScore; comment?: string; at: string };
  /** The closed ticket this one follows up (a customer wrote after it was closed). */
  followUpOf?: string;
  /** Tickets opened by the customer writing after this one was closed. */
  followUps?: string[];
  /** Triage (issue 18): what kind of request it is, how urgent, what it is about and which team owns it. */
  type?: TicketType;
  priority?: TicketPriority;
  /** What its priority was judged from when given as impact × urgency (core/triage/priorityMatrix.ts), by an article, a rule, the defaults or an agent: how many it hurts, how soon it must be fixed. */
  impact?: TriageLevel;
  urgency?: TriageLevel;
  category?: string;
  team?: string;
  /** How each triage field was decided: the failed question's best article, a routing rule, an agent, or the defaults. */
  triage?: Partial<Record<'type' | 'priority' | 'category' | 'team' | 'tags', TriageSource>>;
  /** What the customer-mail sink keeps (core/mail/): never shown, never sent to other systems. */
  customerMail?: CustomerMailState;
  /** Each status the ticket entered after `open` at creation, with when (core/tickets/lifecycle.ts): what SLA clocks read. */
  statusHistory?: { at: string; status: TicketStatus }[];
  /** SLA alerts already announced, `firstResponse:warning` …: each is sent once per ticket (core/commands/sendSlaAlerts.ts). */
  slaAlerts?: string[];
  /** The verified user's signed attributes at creation (`plan: paid`): what routing and SLA policies read. */
  attributes?: Record<string, string>;
}

/** The follow-up token sealed for later e-mails (core/mail/linkSeal.ts), and the solve the satisfaction mail was sent for. */
export interface CustomerMailState {
  sealedLink?: string;
  /** The solvedAt a satisfaction mail was queued for: one per time the ticket is solved. */
  solvedMailFor?: string;
}

/** What a new ticket's sinks may get besides the ticket: the follow-up token, for our own channels (the customer's e-mail) only. */
export interface SinkHandOver {
  followUpToken?: string;
}

/** An incident: something that worked fails; a service request: information, a change or something new; a question. */
export type TicketType = 'incident' | 'service_request' | 'question';
/** P1 (most urgent) to P4, from an impact × urgency matrix. */
export type TicketPriority = 'P1' | 'P2' | 'P3' | 'P4';
/** Impact and urgency, the two sides of the priority matrix. */
export type TriageLevel = 'high' | 'medium' | 'low';
export type TriageSource = 'article' | 'rule' | 'agent' | 'default';

export interface TicketMessage {
  id: string;
  /** system: written by Deflect itself (bot answers, automatic notices): never a first response. */
  from: 'customer' | 'agent' | 'system';
  text: string;
  /** An agents-only note: never in a customer route, page, e-mail, widget, bot or customer-facing webhook. */
  internal: boolean;
  at: string;
  author?: string;
  /** Files that came with it (an e-mail's attachments), as metadata: the files themselves are not stored. */
  attachments?: TicketAttachment[];
}

/** What a ticket message keeps of an attached file. */
export interface TicketAttachment {
  name: string;
  size: number;
  type: string;
}

/**
 * Where new tickets go besides the built-in store (webhook, e-mail, WhatsApp…).
 * A sink that queues (the webhook, the customer's e-mails) says what each
 * change owes (`owe`), and the store writes it with the change (the outbox:
 * core/tickets/outbox.ts); a sink that sends by other means is told after
 * the change is stored (`deliver`, `announce`).
 */
export interface TicketSink {
  readonly name: string;
  /**
   * The deliveries this sink owes for a change, computed under the store's
   * lock from the ticket being stored: synchronous, and it may record on the
   * ticket what it claims. `handOver` (at creation) is for our own channels only.
   */
  owe?(change: OwedChange, ticket: Ticket): OwedDelivery[];
  /** Read beforehand what `owe` needs (a key kept in the store). */
  prepare?(): Promise<void>;
  /** `handOver`: for a sink that speaks to the customer; other systems ignore it. */
  deliver?(ticket: Ticket, handOver?: SinkHandOver): Promise<void>;
  /** What happened to a ticket after it was opened, for sinks that follow tickets. */
  announce?(event: TicketChangeEvent, ticket: Ticket, detail?: Record<string, unknown>): Promise<void>;
}

/** A change told to the sinks: status or fields, a public message (either side), a satisfaction rating. */
export type TicketChangeEvent = 'ticket.updated' | 'ticket.message' | 'csat.responded' | 'sla.warning' | 'sla.breached';
