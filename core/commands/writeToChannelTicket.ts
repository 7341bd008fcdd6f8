import type { Lang } from '../contracts/api.ts';
import type { CoreServices } from '../services.ts';
import { statusLabel } from '../tickets/statusLabels.ts';
import { NotFoundError } from '../errors.ts';
import { channelTicketIds, followFromChannel, type ChannelFollower } from '../tickets/channelFollow.ts';
import { writeAsCustomer, type WriteToMyTicketResult } from './writeToMyTicket.ts';

/**
 * A chat user answers on one of their tickets (the reply box of a "my
 * tickets" card, or of an agent's reply reaching them). Theirs: opened for
 * this channel user, or belonging to the verified user the channel vouches
 * for; any other ticket is NotFoundError, as a missing one. When the message
 * opens a follow-up ticket (the old one was closed), the chat follows that one.
 */
export async function writeToChannelTicket(
  core: Pick<CoreServices, 'tickets' | 'events' | 'sinks' | 'channelState'>,
  input: { id: string; text: string; follower: ChannelFollower; verifiedUserId?: string; lang: Lang; now?: Date },
): Promise<Omit<WriteToMyTicketResult, 'followUpToken'> & { statusLabel: string }> {
  const state = await core.channelState();
  const opened = (await channelTicketIds(state, input.follower.channelUser)).includes(input.id);
  if (!opened) {
    const t = await core.tickets.get(input.id).catch(() => undefined);
    if (!t || !input.verifiedUserId || t.verifiedUserId !== input.verifiedUserId)
      throw new NotFoundError('ticket', input.id);
  }
  const { followUpToken: _token, ...written } = await writeAsCustomer(core, input);
  if (written.ticketId !== input.id) await followFromChannel(state, written.ticketId, input.follower);
  return { ...written, statusLabel: statusLabel(written.status, input.lang) };
}
