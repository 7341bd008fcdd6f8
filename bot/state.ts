import type { Lang } from '../core/contracts/api.ts';
import type { TicketDraft } from '../core/dialog/ticketFlow.ts';
import type { Awaiting, DialogState } from '../core/dialog/types.ts';

export type { Awaiting } from '../core/dialog/types.ts';

/** What the bot remembers of a person's conversation between turns (botbuilder PrivateConversationState). */
export interface ConversationData extends DialogState {
  /** As in UserData: the id Deflect records for the person, so an erasure request finds this entry. */
  userId?: string;
  welcomed?: boolean;
}

/** State saved before `awaiting` (three flags and a draft, kept up to BOT_STATE_TTL_DAYS): read once as the one state. */
export function legacyAwaiting(
  data: ConversationData & {
    pendingAnswer?: string;
    ticketOffered?: boolean;
    offered?: { articleId: string; title: string }[];
    ticket?: TicketDraft;
  },
): Awaiting | undefined {
  const { pendingAnswer, ticketOffered, offered, ticket } = data;
  for (const key of ['pendingAnswer', 'ticketOffered', 'offered', 'ticket'] as const) delete data[key];
  if (ticket) return { kind: 'ticket', draft: ticket };
  if (pendingAnswer) return { kind: 'verdict', articleId: pendingAnswer };
  if (offered) return { kind: 'choice', offered };
  return ticketOffered ? { kind: 'ticketOffer' } : undefined;
}

/** Remembered across conversations (botbuilder UserState, keyed by the channel's user id). */
export interface UserData {
  /**
   * The id Deflect records for the person (Teams: the AAD object id, which the state's key does not contain):
   * an erasure request finds this entry by the ids in events and tickets.
   */
  userId?: string;
  /** The language the user last spoke, for the next welcome. */
  lang?: Lang;
  /** Their role in the Teams tenant ("user" for a member, "guest"), and when it was looked up: members of an internal tenant see internal articles. */
  teamsRole?: string;
  teamsRoleAt?: number;
}
