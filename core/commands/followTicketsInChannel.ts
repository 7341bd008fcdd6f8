import { log } from '../logger.ts';
import type { CoreServices } from '../services.ts';
import { followerOf, type ChannelFollower } from '../tickets/channelFollow.ts';
import { customerView } from '../tickets/customerView.ts';
import type { MyTicketResponse, PublicTicketMessage } from '../contracts/api.ts';
import type { Ticket, TicketChangeEvent, TicketSink } from '../tickets/types.ts';

/** Writes first to a chat user (the bot continuing their conversation): the channel's side of the port. */
export type ChannelNotifier = (
  follower: ChannelFollower,
  ticket: MyTicketResponse,
  message: PublicTicketMessage,
) => Promise<void>;

const SINK = 'channel-followers';

/**
 * From now on, an agent's public reply on a ticket opened from a chat is
 * written to its customer there (`notify`). A sink among the ticket sinks:
 * it hears what the webhook hears, and reads the follower from the shared
 * channel state, so whichever instance records the reply sends it.
 * Registering again (another bot endpoint over the same core) replaces it.
 */
export function followTicketsInChannel(
  core: Pick<CoreServices, 'sinks' | 'channelState'>,
  notify: ChannelNotifier,
): void {
  const sink: TicketSink = {
    name: SINK,
    deliver: async () => {},
    announce: (event, ticket, detail) => announce(core, notify, event, ticket, detail),
  };
  const at = core.sinks.findIndex((s) => s.name === SINK);
  if (at >= 0) core.sinks.splice(at, 1, sink);
  else core.sinks.push(sink);
}

async function announce(
  core: Pick<CoreServices, 'channelState'>,
  notify: ChannelNotifier,
  event: TicketChangeEvent,
  ticket: Ticket,
  detail?: Record<string, unknown>,
): Promise<void> {
  const message = detail?.message as { id?: string; from?: string; internal?: boolean } | undefined;
  if (event !== 'ticket.message' || message?.from !== 'agent' || message.internal) return;
  const follower = await followerOf(await core.channelState(), ticket.id);
  if (!follower) return;
  const view = customerView(ticket);
  const shown = view.messages.find((m) => m.id === message.id);
  if (!shown) return;
  await notify(follower, view, shown);
  log.info('bot', 'agent reply sent to the chat', { ticketId: ticket.id });
}
