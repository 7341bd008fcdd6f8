import type { KeyValueRepository } from '../storage/ports.ts';
import { ETagConflictError } from '../storage/keyValueStore.ts';

/**
 * Who follows a ticket from a chat channel (Teams, Web Chat, the Emulator):
 * the channel's user (`channelUser`, the channel and its user id, which the
 * channel sends with every message), the id Deflect records for the person
 * (so an erasure finds the entries), and the channel's conversation
 * reference, opaque here, that lets the bot write to them first.
 */
export interface ChannelFollower {
  channelUser: string;
  userId?: string;
  reference: Record<string, unknown>;
}

type State = KeyValueRepository<Record<string, unknown>>;

/** Newest last; the oldest are forgotten past this many per person. */
const MAX_TICKETS = 100;
const ATTEMPTS = 10;

const ticketsKey = (channelUser: string) => `deflect-tickets/${channelUser}`;
const followKey = (ticketId: string) => `deflect-follow/${ticketId}`;

/**
 * Remember a ticket opened from a channel: in the person's list (what "my
 * tickets" shows them) and as the ticket's follower (where an agent's reply
 * is sent). Kept in the channels' state, so every instance sees it.
 */
export function followFromChannel(state: State, ticketId: string, follower: ChannelFollower): Promise<void> {
  // One writer per person in this process: a missing list accepts any write (botbuilder's eTag rules),
  // so two first tickets written at once would otherwise keep only one. Across instances the eTag decides.
  const key = follower.channelUser;
  const run = (writing.get(key) ?? Promise.resolve()).then(() => write(state, ticketId, follower));
  const settled = run.catch(() => undefined);
  writing.set(key, settled);
  void settled.then(() => writing.get(key) === settled && writing.delete(key));
  return run;
}

const writing = new Map<string, Promise<unknown>>();

async function write(state: State, ticketId: string, follower: ChannelFollower): Promise<void> {
  const who = follower.userId ? { userId: follower.userId } : {};
  for (let attempt = 1; ; attempt++) {
    const current = await state.get(ticketsKey(follower.channelUser));
    const ids = ((current?.value.ids as string[] | undefined) ?? []).filter((id) => id !== ticketId);
    try {
      await state.put([
        {
          key: ticketsKey(follower.channelUser),
          value: { ...who, ids: [...ids, ticketId].slice(-MAX_TICKETS) },
          ifMatch: current?.eTag,
        },
        { key: followKey(ticketId), value: { ...follower } },
      ]);
      return;
    } catch (error) {
      // Two tickets opened at once by the same person: read the list again.
      if (!(error instanceof ETagConflictError) || attempt >= ATTEMPTS) throw error;
    }
  }
}

/** The tickets a channel user opened through the channel, newest last. */
export async function channelTicketIds(state: State, channelUser: string): Promise<string[]> {
  const entry = await state.get(ticketsKey(channelUser));
  return (entry?.value.ids as string[] | undefined) ?? [];
}

/** Where a ticket's customer is followed in a channel, if they opened it there. */
export async function followerOf(state: State, ticketId: string): Promise<ChannelFollower | undefined> {
  const entry = await state.get(followKey(ticketId));
  return entry ? (entry.value as unknown as ChannelFollower) : undefined;
}
