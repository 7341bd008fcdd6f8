import type { Activity, ConversationReference } from 'botbuilder';
import { followTicketsInChannel } from '../core/commands/followTicketsInChannel.ts';
import type { Config } from '../core/config/index.ts';
import { log } from '../core/logger.ts';
import type { CoreServices } from '../core/services.ts';
import { isLocalServiceUrl, requireLocalServiceUrl, requireTokenShape } from './auth.ts';
import type { BotRuntime } from './botRuntime.ts';

export interface BotEndpoint {
  /**
   * One activity POSTed by a channel (JSON, with at least type, channelId,
   * serviceUrl, conversation.id and from.id) → the HTTP status and body to
   * answer with. Throws our named errors (401, 403, 503). Plain JSON in and
   * out, so the server knows nothing of botbuilder.
   */
  handle(request: {
    activity: Record<string, unknown>;
    authorization?: string;
  }): Promise<{ status: number; body?: unknown }>;
}

/**
 * Everything behind POST /api/messages: the bot, its durable state in the
 * data directory, and CloudAdapter with authentication from our config.
 * botbuilder (the largest package the server uses, most of a second of CPU
 * to load) is loaded with the bot on the first activity or agent reply, not
 * at start: most servers never serve the bot. Following tickets starts now.
 */
export function createBotEndpoint(core: CoreServices, config: Pick<Config, 'bot' | 'publicUrl'>): BotEndpoint {
  const authenticated = !!config.bot.appId;
  let runtime: Promise<BotRuntime> | undefined;
  const loaded = () =>
    (runtime ??= import('./botRuntime.ts').then(
      ({ openBotRuntime }) => openBotRuntime(core, config),
      (error: unknown) => {
        runtime = undefined; // the next activity tries again
        throw error;
      },
    ));
  // An agent's public reply on a ticket opened in a chat is written to its customer there, in the ticket's language.
  followTicketsInChannel(core, async (follower, ticket, message) => {
    const reference = follower.reference as Partial<ConversationReference>;
    // As for replies: unauthenticated, the bot writes only to a connector on this machine (the Emulator).
    if (!authenticated && !isLocalServiceUrl(reference.serviceUrl)) {
      log.warn('bot', 'agent reply not sent to the chat: its connector is not local and the bot is unauthenticated', {
        ticketId: ticket.id,
      });
      return;
    }
    await (await loaded()).sendAgentReply(reference, ticket, message);
  });
  let warned = false;

  return {
    async handle({ activity: json, authorization }) {
      const activity = withDates(json);
      if (authenticated) {
        requireTokenShape(authorization);
      } else {
        // Said on first use rather than at start, so servers that never serve the bot stay quiet.
        if (!warned)
          log.warn(
            'bot',
            'MICROSOFT_APP_ID is not set: /api/messages accepts unauthenticated requests (Bot Framework Emulator mode); set it to serve Teams or Web Chat',
          );
        warned = true;
        requireLocalServiceUrl(activity);
      }
      const response = await (await loaded()).process(authorization ?? '', activity);
      return { status: response?.status ?? 200, body: response?.body };
    },
  };
}

/** JSON carries times as strings; botbuilder's activities carry Dates and keep the raw text (as CloudAdapter.process does). */
function withDates(json: Record<string, unknown>): Activity {
  for (const [field, raw] of [
    ['timestamp', 'rawTimestamp'],
    ['localTimestamp', 'rawLocalTimestamp'],
    ['expiration', 'rawExpiration'],
  ] as const) {
    const value = json[field];
    if (typeof value === 'string') Object.assign(json, { [raw]: value, [field]: new Date(value) });
  }
  return json as unknown as Activity;
}
