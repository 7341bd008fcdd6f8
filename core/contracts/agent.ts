// What the agent inbox (/agent) reads from the agent routes: the JSON of
// GET /api/tickets, GET /api/tickets/:id and GET /api/ticket-counts, as
// server/presenters/tickets.ts writes it. Types only.
import type { Channel, Lang, TicketStatus } from './api.ts';

export interface AgentTicketMessage {
  id: string;
  from: 'customer' | 'agent' | 'system';
  text: string;
  internal: boolean;
  at: string;
  author?: string;
}

/** A ticket in the queue. The triage fields (issue 18) appear once a deployment triages tickets; the inbox shows them when present. */
export interface AgentTicketSummary {
  id: string;
  status: TicketStatus;
  createdAt: string;
  updatedAt: string;
  /** The ticket's version (also the ETag of GET /api/tickets/:id): a PATCH that names it is refused (409 ticket_changed) once the ticket has changed. Opaque. */
  version: string;
  channel: Channel;
  lang: Lang;
  email: string;
  name?: string;
  subject: string;
  reason: 'user' | 'not_helpful' | 'no_answer';
  assignee?: string;
  solvedWith?: string;
  tags: string[];
  failedQuestion?: string;
  messages: number;
  reopens: number;
  type?: string;
  priority?: string;
  /** What the priority was judged from, when it was given as impact × urgency (by an article, a rule, the defaults or an agent): high, medium or low. */
  impact?: string;
  urgency?: string;
  category?: string;
  team?: string;
  /** How each triage field was decided: the failed question's best article, a routing rule, an agent, or the defaults. */
  triage?: Partial<Record<'type' | 'priority' | 'category' | 'team' | 'tags', TriageSource>>;
  /** When the first response and the resolution are due under the SLA (core/sla/computeSla.ts), while their clocks run or once missed. */
  due?: { firstResponseAt?: string; resolutionAt?: string };
  sla?: 'ok' | 'warning' | 'breached';
}

/** Who decided a triage field (core/tickets/types.ts). */
export type TriageSource = 'article' | 'rule' | 'agent' | 'default';

export interface AgentTicketPage {
  tickets: AgentTicketSummary[];
  total: number;
  page: number;
  pageSize: number;
}

/** One ticket with what the bot knew when it gave up. */
export interface AgentTicketDetail extends Omit<AgentTicketSummary, 'messages'> {
  description?: string;
  transcript: { role: 'user' | 'bot'; text: string; at: string }[];
  articlesShown: { articleId: string; title: string; confidence: number; helpful: boolean | null }[];
  notes: { at: string; text: string; author?: string }[];
  messages: AgentTicketMessage[];
}

/** GET /api/ticket-counts: how many tickets each status holds under the queue's other filters. */
export interface TicketCountsResponse {
  counts: Record<TicketStatus, number>;
  total: number;
}
