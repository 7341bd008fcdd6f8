import { createHash } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { TeamsInfo, teamsGetTenant, type Activity, type TeamsChannelAccount, type TurnContext } from 'botbuilder';
import type { Audience } from '../core/articles/types.ts';
import { audiencesOf } from '../core/articles/visibility.ts';
import type { Channel, UserIdentity } from '../core/contracts/api.ts';
import { log } from '../core/logger.ts';
import { emailIn } from '../core/dialog/intents.ts';

/** Bot Framework vocabulary → Deflect's: which channel, which conversation, who. */

const CHANNELS: Record<string, Channel> = { msteams: 'msteams', emulator: 'emulator', webchat: 'webchat' };

export function channelOf(activity: Pick<Activity, 'channelId'>): Channel {
  return CHANNELS[activity.channelId] ?? 'api';
}

/**
 * The Deflect conversation id of a Bot Framework conversation: stable across
 * turns and restarts, distinct per channel, and in the id format the HTTP API
 * accepts (Teams ids are long and contain characters it does not). In a group
 * chat or a Teams channel each person has their own: their questions,
 * feedback and ticket are theirs, not the room's.
 */
export function conversationIdOf(activity: {
  channelId: string;
  conversation: { id: string; isGroup?: boolean };
  from?: { id: string; aadObjectId?: string };
}): string {
  const who = activity.conversation.isGroup ? `\n${activity.from?.aadObjectId || activity.from?.id || ''}` : '';
  const digest = createHash('sha256').update(`${activity.channelId}\n${activity.conversation.id}${who}`).digest('hex');
  return `bf-${digest.slice(0, 32)}`;
}

/**
 * Who is writing, as the channel knows them: Teams gives the AAD object id and
 * the display name. The id counts as verified only for Teams over
 * authenticated requests (Microsoft vouches for the AAD user); Web Chat ids
 * are whatever the embedding page chose.
 */
export function identityOf(
  activity: Pick<Activity, 'from' | 'channelId'>,
  authenticated: boolean,
): UserIdentity & { verified?: boolean } {
  const from = activity.from ?? { id: '', name: '' };
  const id = from.aadObjectId || from.id || undefined;
  const name = from.name?.trim() || undefined;
  const verified = authenticated && activity.channelId === 'msteams' && !!from.aadObjectId;
  return { ...(id ? { id } : {}), ...(name ? { name } : {}), ...(verified ? { verified } : {}) };
}

/**
 * The channel's user, as every message names them (the channel and its id for
 * the person): whose tickets a chat's "my tickets" lists, whatever the conversation.
 */
export function channelUserOf(activity: Pick<Activity, 'channelId' | 'from'>): string {
  return `${activity.channelId}/${activity.from?.id ?? ''}`;
}

const MEMBER_LOOKUP_MS = 5000;

/** Who the user is in Teams' member list (e-mail, role in the tenant); undefined when that is unknown. */
export type MemberLookup = (context: TurnContext) => Promise<TeamsChannelAccount | undefined>;

/**
 * The Teams member list's entry for the user, which carries what the activity
 * does not (e-mail, member or guest): one call to the Teams connector. Best
 * effort: any other channel, a failure or a slow answer means "unknown".
 */
export const teamsMember: MemberLookup = async (context) => {
  if (context.activity.channelId !== 'msteams' || !context.activity.from?.id) return undefined;
  const stop = new AbortController();
  const timeout = delay(MEMBER_LOOKUP_MS, undefined, { signal: stop.signal }).catch(() => undefined);
  try {
    return await Promise.race([TeamsInfo.getMember(context, context.activity.from.id), timeout]);
  } catch (error) {
    log.info('bot', 'Teams member lookup failed', { reason: (error as Error).message });
    return undefined;
  } finally {
    stop.abort();
  }
};

/** The user's e-mail in Teams, or undefined (the bot then asks for it). */
export async function teamsEmail(context: TurnContext, lookup: MemberLookup): Promise<string | undefined> {
  const member = await lookup(context);
  const address = member?.email ?? member?.userPrincipalName;
  return address ? emailIn(address) : undefined;
}

/**
 * Could this person be shown internal articles? Only a Teams user Microsoft
 * vouches for (authenticated requests, AAD object id) writing from one of the
 * organisation's tenants; whether they are a member rather than a guest is
 * the member list's to say (`audiencesFor`).
 */
export function inInternalTenant(
  activity: Activity,
  authenticated: boolean,
  internalTenants: readonly string[],
): boolean {
  if (!identityOf(activity, authenticated).verified) return false;
  const tenant = teamsGetTenant(activity)?.id ?? activity.conversation?.tenantId;
  return !!tenant && internalTenants.includes(tenant.toLowerCase());
}

/** What a person may read, from their role in the tenant: members see internal articles too; guests, anonymous users and unknown roles public ones only. */
export function audiencesFor(role: string | undefined): Audience[] {
  return audiencesOf({ staff: role === 'user' });
}
