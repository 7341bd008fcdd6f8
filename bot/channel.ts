import { createHash } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { TeamsInfo, type Activity, type TurnContext } from 'botbuilder';
import type { Channel, Lang, UserIdentity } from '../core/contracts/api.ts';
import { log } from '../core/logger.ts';
import { isLang } from '../core/text/analyze.ts';
import { emailIn } from './intents.ts';

/** Bot Framework vocabulary → Deflect's: which channel, which conversation, who, in what language. */

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
export function conversationIdOf(activity: { channelId: string; conversation: { id: string; isGroup?: boolean }; from?: { id: string; aadObjectId?: string } }): string {
  const who = activity.conversation.isGroup ? `\n${activity.from?.aadObjectId || activity.from?.id || ''}` : '';
  const digest = createHash('sha256').update(`${activity.channelId}\n${activity.conversation.id}${who}`).digest('hex');
  return `bf-${digest.slice(0, 32)}`;
}

/** es or en from a locale such as "es-ES" or "en-US"; undefined for anything else. */
export function localeLang(locale: string | undefined): Lang | undefined {
  const base = locale?.slice(0, 2).toLowerCase();
  return isLang(base) ? base : undefined;
}

/**
 * Who is writing, as the channel knows them: Teams gives the AAD object id and
 * the display name. The id counts as verified only for Teams over
 * authenticated requests (Microsoft vouches for the AAD user); Web Chat ids
 * are whatever the embedding page chose.
 */
export function identityOf(activity: Pick<Activity, 'from' | 'channelId'>, authenticated: boolean): UserIdentity & { verified?: boolean } {
  const from = activity.from ?? { id: '', name: '' };
  const id = from.aadObjectId || from.id || undefined;
  const name = from.name?.trim() || undefined;
  const verified = authenticated && activity.channelId === 'msteams' && !!from.aadObjectId;
  return { ...(id ? { id } : {}), ...(name ? { name } : {}), ...(verified ? { verified } : {}) };
}

const MEMBER_LOOKUP_MS = 5000;

/**
 * The user's e-mail in Teams, which the activity does not carry but the
 * conversation's member list does (one call to the Teams connector). Best
 * effort: any other channel, a failure or a slow answer means "unknown", and
 * the bot asks.
 */
export async function teamsEmail(context: TurnContext): Promise<string | undefined> {
  if (context.activity.channelId !== 'msteams' || !context.activity.from?.id) return undefined;
  const stop = new AbortController();
  const timeout = delay(MEMBER_LOOKUP_MS, undefined, { signal: stop.signal }).catch(() => undefined);
  try {
    const member = await Promise.race([TeamsInfo.getMember(context, context.activity.from.id), timeout]);
    const address = member?.email ?? member?.userPrincipalName;
    return address && emailIn(address);
  } catch (error) {
    log.info('bot', 'Teams member lookup failed; asking for the e-mail', { reason: (error as Error).message });
    return undefined;
  } finally {
    stop.abort();
  }
}
