import type { Activity, ConversationReference, InvokeResponse, StoreItem } from 'botbuilder';
import type { Config } from '../core/config/index.ts';
import type { MyTicketResponse, PublicTicketMessage } from '../core/contracts/api.ts';
import type { CoreServices } from '../core/services.ts';
import type { KeyValueRepository } from '../core/storage/ports.ts';
import { strings } from '../core/dialog/strings.ts';
import { BotAdapter, botFrameworkAuthentication } from './adapter.ts';
import { createDeflectBot } from './createBot.ts';
import { StateStorage } from './stateStorage.ts';
import { agentReplyActivity } from './ticketCards.ts';

/** The bot as botbuilder runs it: what bot/botEndpoint.ts loads on the first activity or agent reply. */
export interface BotRuntime {
  /** Authenticates the request (CloudAdapter), then runs the turn. */
  process(authorization: string, activity: Activity): Promise<InvokeResponse | undefined>;
  /** Continues a chat conversation with an agent's reply on its ticket. */
  sendAgentReply(
    reference: Partial<ConversationReference>,
    ticket: MyTicketResponse,
    message: PublicTicketMessage,
  ): Promise<void>;
}

/** The bot, its durable state in the core's channel state, and CloudAdapter with authentication from our config. */
export function openBotRuntime(core: CoreServices, config: Pick<Config, 'bot' | 'publicUrl'>): BotRuntime {
  // The core's one store of channel state, so an erasure request reaches what the bot keeps.
  const storage = new StateStorage(core.channelState as () => Promise<KeyValueRepository<StoreItem>>);
  const { bot, onTurnError } = createDeflectBot(core, {
    storage,
    publicUrl: config.publicUrl,
    authenticated: !!config.bot.appId,
    internalTenants: config.bot.internalTenants,
  });
  const adapter = new BotAdapter(botFrameworkAuthentication(config.bot));
  adapter.onTurnError = onTurnError;
  return {
    process: (authorization, activity) =>
      adapter.processRequest(authorization, activity, (context) => bot.run(context)),
    async sendAgentReply(reference, ticket, message) {
      await adapter.continueConversationAsync(config.bot.appId ?? '', reference, async (context) => {
        await context.sendActivity(agentReplyActivity(ticket, message, strings(ticket.lang)));
      });
    },
  };
}
