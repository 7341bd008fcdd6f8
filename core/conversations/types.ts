import type { Channel, Lang, UserIdentity } from '../contracts/api.ts';
import type { Shown } from '../events/types.ts';

export interface Turn {
  role: 'user' | 'bot';
  text: string;
  at: string;
}

/** What we remember of a conversation: enough to follow up and to hand over to a person. */
export interface Conversation {
  id: string;
  channel: Channel;
  lang: Lang;
  /** The asker; `verified` when the host site vouched for the id (HMAC). */
  user?: UserIdentity & { verified?: boolean };
  startedAt: string;
  updatedAt: string;
  turns: Turn[];
  /** Every article shown, with its confidence and the user's verdict when given. */
  shown: (Shown & { title: string; helpful?: boolean })[];
  /** The last question and the ranked articles for it: where "No" finds the next suggestion. */
  lastQuestion?: string;
  lastRanked: Shown[];
  /** Did the last question find nothing? Used as the reason when a ticket follows. */
  lastUnanswered: boolean;
}
