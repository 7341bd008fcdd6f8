/**
 * The HTTP contract shared by the server, the widget and the bot.
 * Types only: the widget imports this file and must not pull runtime code.
 */

export type Lang = 'es' | 'en';
export type Action = 'answer' | 'clarify' | 'ticket';
export type Channel = 'widget' | 'msteams' | 'emulator' | 'webchat' | 'api';

/** Who is asking, when the host site or channel tells us. */
export interface UserIdentity {
  id?: string;
  email?: string;
  name?: string;
  /** HMAC-SHA256(secret, id) computed by the host site's server. */
  hash?: string;
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
}

export interface CreateTicketResponse {
  id: string;
  status: TicketStatus;
}

export type TicketStatus = 'open' | 'pending' | 'solved';

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
