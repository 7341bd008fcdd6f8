import type { CoreServices } from '../services.ts';
import { followFromChannel, type ChannelFollower } from '../tickets/channelFollow.ts';
import { openTicket, type OpenTicketInput } from './openTicket.ts';

/**
 * A chat channel (the bot) opens a ticket for the person it talks to: the
 * ticket as openTicket makes it, and the person and their conversation kept
 * as its follower, so they list it ("my tickets") and an agent's reply
 * reaches them in the chat. The channel holds no follow-up token: it knows
 * the person by the channel's own user id.
 */
export async function openChannelTicket(
  core: CoreServices,
  input: OpenTicketInput & { follower: ChannelFollower },
): Promise<{ id: string }> {
  const { follower, ...ticket } = input;
  const created = await openTicket(core, ticket);
  await followFromChannel(await core.channelState(), created.id, follower);
  return { id: created.id };
}
