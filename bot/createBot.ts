import { PrivateConversationState, UserState, type Storage, type TurnContext } from 'botbuilder';
import type { CoreServices } from '../core/services.ts';
import { log } from '../core/logger.ts';
import { chooseLanguage } from '../core/answers/language/chooseLanguage.ts';
import { conversationIdOf, teamsMember, type MemberLookup } from './channel.ts';
import { DeflectBot } from './deflectBot.ts';
import { strings } from '../core/dialog/strings.ts';
import type { ConversationData } from './state.ts';

export interface DeflectBotParts {
  bot: DeflectBot;
  conversationState: PrivateConversationState;
  /** For the adapter (CloudAdapter in production, TestAdapter in tests). */
  onTurnError: (context: TurnContext, error: Error) => Promise<void>;
}

/** The bot and its state over a storage, with the one error handler for its turns. */
export function createDeflectBot(
  core: CoreServices,
  options: {
    storage: Storage;
    publicUrl: string;
    authenticated: boolean;
    internalTenants?: readonly string[];
    members?: MemberLookup;
    now?: () => number;
  },
): DeflectBotParts {
  const conversationState = new PrivateConversationState(options.storage);
  const userState = new UserState(options.storage);
  const { publicUrl, authenticated, internalTenants = [], members = teamsMember, now = Date.now } = options;
  const bot = new DeflectBot({
    core,
    conversationState,
    userState,
    publicUrl,
    authenticated,
    internalTenants,
    members,
    now,
  });
  return { bot, conversationState, onTurnError: turnErrorHandler(core, conversationState) };
}

/**
 * A turn failed: log it with the conversation, apologise, and forget the
 * conversation's state, which may be what broke it. Each step is guarded, so
 * a channel that cannot be reached does not hide the original error.
 */
function turnErrorHandler(core: CoreServices, conversationState: PrivateConversationState) {
  const data = conversationState.createProperty<ConversationData>('deflect');
  return async (context: TurnContext, error: Error): Promise<void> => {
    const a = context.activity;
    const conversationId = a?.conversation?.id ? conversationIdOf(a) : undefined;
    log.error('bot', 'turn failed', {
      conversationId,
      channel: a?.channelId,
      activity: a?.type,
      error,
      stack: error?.stack?.split('\n').slice(0, 5),
    });
    const known = await data.get(context).catch(() => undefined);
    const lang = chooseLanguage({ conversation: known?.lang, requested: a?.locale }, { defaultLang: core.defaultLang });
    try {
      await context.sendActivity(strings(lang).error);
    } catch (sendError) {
      log.error('bot', 'could not tell the user about the failed turn', { conversationId, error: sendError as Error });
    }
    try {
      await conversationState.delete(context);
    } catch (deleteError) {
      log.error('bot', 'could not clear the conversation state', { conversationId, error: deleteError as Error });
    }
  };
}
