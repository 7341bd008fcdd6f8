import type { Lang } from '../core/contracts/api.ts';
import type { TicketDraft } from './ticketFlow.ts';

/** What the bot remembers of a person's conversation between turns (botbuilder PrivateConversationState). */
export interface ConversationData {
  /** As in UserData: the id Deflect records for the person, so an erasure request finds this entry. */
  userId?: string;
  lang?: Lang;
  welcomed?: boolean;
  /** The article of the last answer card, awaiting "Yes, solved" / "No". */
  pendingAnswer?: string;
  /** A ticket was offered: a plain "yes" accepts it. */
  ticketOffered?: boolean;
  /** Articles last shown as buttons: pressing one (its title comes back as text) picks that article. */
  offered?: { articleId: string; title: string }[];
  ticket?: TicketDraft;
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
