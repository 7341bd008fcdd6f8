import type { Channel, Lang, TicketStatus } from '../contracts/api.ts';
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
}

/** Where new tickets go besides the built-in store (webhook, help-desk API…). */
export interface TicketSink {
  readonly name: string;
  deliver(ticket: Ticket): Promise<void>;
}
