/**
 * The HTTP contract shared by the server, the widget and the bot.
 * Types only: the widget imports this file and must not pull runtime code.
 */

export type Lang = 'es' | 'en';
export type Action = 'answer' | 'clarify' | 'ticket';
/** Where a conversation or ticket came from; `email` and `whatsapp` are the asynchronous channels (issue 19). */
export type Channel = 'widget' | 'msteams' | 'emulator' | 'webchat' | 'api' | 'email' | 'whatsapp';

/** Who is asking, when the host site or channel tells us. */
export interface UserIdentity {
  id?: string;
  email?: string;
  name?: string;
  /** HMAC-SHA256(secret, id) computed by the host site's server. */
  hash?: string;
  /** What the host site knows of the user (`plan: paid`), for routing rules and SLA policies; used only when signed. */
  attributes?: Record<string, string>;
  /** HMAC-SHA256(secret, id + "\n" + the attributes as sorted `key=value` lines), hex (core/identity/verifyUser.ts). */
  attributesHash?: string;
}

export interface AskRequest {
  question: string;
  conversationId?: string;
  lang?: string;
  tags?: string[];
  user?: UserIdentity;
  /** The user picked this article from the options or suggestions shown; `question` is its title as displayed. */
  articleId?: string;
}

export interface AnswerCard {
  articleId: string;
  title: string;
  /** The canned answer as plain text. */
  text: string;
  /** The canned answer rendered from Markdown with raw HTML disabled. */
  html: string;
  /**
   * Path of the full article, relative to the server root (e.g. /articles/reset-password);
   * null for an internal article, which has no public page (the answer is all a client can show of it).
   */
  url: string | null;
  confidence: number;
  lang: Lang;
}

export interface Suggestion {
  articleId: string;
  title: string;
  score: number;
  lang?: Lang;
}

export interface AskResponse {
  conversationId: string;
  action: Action;
  answer?: AnswerCard;
  /** For `clarify`: the candidates to choose from; otherwise the runners-up. */
  suggestions: Suggestion[];
  /** The language the reply is in. */
  lang: Lang;
  /** Set when the best answer exists only in another language than the user's. */
  notice?: 'other_language';
}

export interface FeedbackRequest {
  conversationId: string;
  articleId: string;
  helpful: boolean;
  /** The same identity as on /api/ask: a verified user's conversation is theirs alone. */
  user?: UserIdentity;
}

export interface FeedbackResponse {
  conversationId: string;
  /** resolved: done. suggestions: try these. offer_ticket: nothing else fits. */
  next: 'resolved' | 'suggestions' | 'offer_ticket';
  suggestions: Suggestion[];
  lang: Lang;
}

export interface CreateTicketRequest {
  conversationId?: string;
  email: string;
  name?: string;
  subject?: string;
  description?: string;
  user?: UserIdentity;
  /** The language the customer is followed in (labels, e-mails); the conversation's, else DEFAULT_LANG, when unset. */
  lang?: Lang;
}

export interface CreateTicketResponse {
  id: string;
  status: TicketStatus;
  /** How the customer follows the ticket: the token is shown once and stored only as a hash. */
  followUp: FollowUpLink;
}

export interface FollowUpLink {
  /** A secret of 256 random bits (base64url): `Authorization: Bearer <token>` on /api/my/tickets/:id. */
  token: string;
  /** A Deflect page that shows the ticket with this token, readable with JavaScript off. */
  url: string;
}

/** open → (agent replies) pending → (customer replies) open …; solved, then closed after TICKET_CLOSE_DAYS untouched. */
export type TicketStatus = 'open' | 'pending' | 'on_hold' | 'solved' | 'closed';

/** A message of a ticket's thread as the customer sees it (internal notes never are). */
export interface PublicTicketMessage {
  id: string;
  from: 'customer' | 'agent' | 'system';
  text: string;
  at: string;
  author?: string;
}

export type TicketScore = 'good' | 'bad';

/** GET /api/my/tickets/:id: the customer's view of one ticket. */
export interface MyTicketResponse {
  id: string;
  status: TicketStatus;
  /** The status in words for the customer, in the ticket's language. */
  statusLabel: string;
  /** The ticket's language (its labels' unless another was asked for). */
  lang: Lang;
  subject: string;
  createdAt: string;
  updatedAt: string;
  messages: PublicTicketMessage[];
  rating?: { score: TicketScore; comment?: string; at: string };
  /** The follow-up ticket opened by a message after this one was closed. */
  followUpOf?: string;
  /** When an agent's reply is due under the ticket's SLA (issue 18), while one is awaited; absent when unknown. */
  expectedReplyAt?: string;
}

/** POST /api/my/tickets/:id/messages. */
export interface MyTicketMessageRequest {
  text: string;
}

/** 201: the message, and where it went (a closed ticket's message opens a follow-up ticket, with its own token). */
export interface MyTicketMessageResponse {
  ticketId: string;
  status: TicketStatus;
  message: PublicTicketMessage;
  followUp?: FollowUpLink;
}

/** POST /api/my/tickets/:id/rating, once the ticket is solved and until it is closed. */
export interface TicketRatingRequest {
  score: TicketScore;
  comment?: string;
}

/** GET /api/my/tickets: a verified user's own tickets, newest first. */
export interface MyTicketsResponse {
  tickets: Omit<MyTicketResponse, 'messages'>[];
}

export interface SearchHit {
  articleId: string;
  title: string;
  snippet: string;
  score: number;
  tags: string[];
  lang: Lang;
}

export interface SearchResponse {
  hits: SearchHit[];
}

export interface ArticleResponse {
  id: string;
  title: string;
  lang: Lang;
  tags: string[];
  category?: string;
  html: string;
  answer: string;
  answerHtml: string;
  translations: Record<string, string>;
  updatedAt: string;
}

export interface ErrorResponse {
  error: { code: string; message: string; details?: unknown };
}
