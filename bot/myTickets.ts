import { TurnContext, type Activity } from 'botbuilder';
import type { Lang } from '../core/contracts/api.ts';
import { listChannelTickets } from '../core/commands/listChannelTickets.ts';
import { writeToChannelTicket } from '../core/commands/writeToChannelTicket.ts';
import { NotFoundError } from '../core/errors.ts';
import type { CoreServices } from '../core/services.ts';
import type { ChannelFollower } from '../core/tickets/channelFollow.ts';
import { promptReply } from './cards.ts';
import { channelUserOf, identityOf } from './channel.ts';
import { strings } from '../core/dialog/strings.ts';
import { MAX_CARDS, myTicketsReply } from './ticketCards.ts';

/** What the "my tickets" turns need of the bot. */
export interface MyTicketsDeps {
  core: CoreServices;
  /** Requests carry a valid Bot Framework token: a Teams user's AAD id is then vouched for. */
  authenticated: boolean;
}

const MAX_REPLY = 5000;

/** "my tickets" / "mis solicitudes": the person's tickets as cards, in the language they asked in. */
export async function showMyTickets(deps: MyTicketsDeps, context: TurnContext, lang: Lang): Promise<void> {
  const a = context.activity;
  const list = await listChannelTickets(deps.core, {
    channelUser: channelUserOf(a),
    verifiedUserId: verifiedId(a, deps.authenticated),
    lang,
    limit: MAX_CARDS,
  });
  await context.sendActivity(myTicketsReply(list, strings(lang)));
}

/** The reply box of a ticket's card (Action.Submit): the message goes on the ticket, if it is theirs. */
export async function replyOnTicket(
  deps: MyTicketsDeps,
  context: TurnContext,
  ticketId: string,
  text: string,
  lang: Lang,
): Promise<void> {
  const s = strings(lang);
  if (!text) {
    await context.sendActivity(promptReply(s.emptyReply));
    return;
  }
  const a = context.activity;
  try {
    const r = await writeToChannelTicket(deps.core, {
      id: ticketId,
      text: text.slice(0, MAX_REPLY),
      follower: followerOf(a, deps.authenticated),
      verifiedUserId: verifiedId(a, deps.authenticated),
      lang,
    });
    await context.sendActivity(
      promptReply(r.ticketId === ticketId ? s.replySent(r.ticketId, r.statusLabel) : s.followUpOpened(r.ticketId)),
    );
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
    await context.sendActivity(promptReply(s.notYourTicket));
  }
}

/** The person as a ticket's follower: who they are in the channel, and where to write to them first. */
export function followerOf(activity: Activity, authenticated: boolean): ChannelFollower {
  const id = identityOf(activity, authenticated).id;
  return {
    channelUser: channelUserOf(activity),
    ...(id ? { userId: id } : {}),
    reference: TurnContext.getConversationReference(activity) as Record<string, unknown>,
  };
}

/** The user id the channel vouches for (Teams over authenticated requests), which tickets may belong to. */
function verifiedId(activity: Activity, authenticated: boolean): string | undefined {
  const who = identityOf(activity, authenticated);
  return who.verified ? who.id : undefined;
}
