import type { Lang, MyTicketResponse, PublicTicketMessage } from '../contracts/api.ts';
import { NotFoundError } from '../errors.ts';
import type { CoreServices } from '../services.ts';
import { channelTicketIds } from '../tickets/channelFollow.ts';
import { customerView } from '../tickets/customerView.ts';
import type { Ticket } from '../tickets/types.ts';

/** A ticket in a chat's "my tickets": what the customer sees of it, with its last public message. */
export type ChannelTicket = Omit<MyTicketResponse, 'messages'> & { lastMessage?: PublicTicketMessage };

/**
 * A chat user's own tickets, newest first: those the channel opened for this
 * channel user, and, for a user the channel vouches for (Teams over
 * authenticated requests), every ticket of that verified user.
 */
export async function listChannelTickets(
  core: Pick<CoreServices, 'tickets' | 'channelState'>,
  input: { channelUser: string; verifiedUserId?: string; lang?: Lang; limit?: number },
): Promise<{ tickets: ChannelTicket[]; total: number }> {
  const ids = await channelTicketIds(await core.channelState(), input.channelUser);
  const found = new Map<string, Ticket>();
  if (input.verifiedUserId)
    for (const t of (await core.tickets.list({ verifiedUserId: input.verifiedUserId, pageSize: 100 })).tickets)
      found.set(t.id, t);
  for (const id of ids) {
    if (found.has(id)) continue;
    // Removed by retention or an erasure: the list simply no longer shows it.
    const t = await core.tickets
      .get(id)
      .catch((e: unknown) => (e instanceof NotFoundError ? undefined : Promise.reject(e)));
    if (t) found.set(id, t);
  }
  const newest = [...found.values()].sort((a, b) =>
    a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0,
  );
  return {
    total: newest.length,
    tickets: newest.slice(0, input.limit ?? newest.length).map((t) => {
      const { messages, ...summary } = customerView(t, input.lang);
      const lastMessage = messages.at(-1);
      return lastMessage ? { ...summary, lastMessage } : summary;
    }),
  };
}
