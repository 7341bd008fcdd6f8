import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type Activity,
  type InvokeResponse,
  type TurnContext,
} from 'botbuilder';
import type { BotConfig } from '../core/config/bot.ts';
import { log } from '../core/logger.ts';
import { authFailure } from './auth.ts';

/**
 * CloudAdapter, authenticating before the turn. CloudAdapter.process() would
 * answer a token with a bad signature with a 500 carrying the library's error
 * message; here every rejected token is a plain 401 (through server/errors.ts)
 * and the turn runs only for an authenticated request.
 */
export class BotAdapter extends CloudAdapter {
  /** Authenticate the request, run the turn, and return what goes in the HTTP response (expectReplies, invoke). */
  async processRequest(
    authorization: string,
    activity: Activity,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<InvokeResponse | undefined> {
    const auth = await this.botFrameworkAuthentication
      .authenticateRequest(activity, authorization)
      .catch((error: Error) => {
        log.warn('bot', 'request rejected: Bot Framework token not accepted', {
          channel: activity.channelId,
          reason: error.message,
        });
        throw authFailure(error);
      });
    return this.processActivity(auth, activity, logic);
  }
}

/** The public-cloud values botbuilder uses by default; it needs them all once one endpoint (the OpenID metadata) is overridden. */
const PUBLIC_CLOUD = {
  ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com',
  ToChannelFromBotOAuthScope: 'https://api.botframework.com',
  ToBotFromChannelTokenIssuer: 'https://api.botframework.com',
  OAuthUrl: 'https://api.botframework.com',
  ToBotFromChannelOpenIdMetadataUrl: 'https://login.botframework.com/v1/.well-known/openidconfiguration',
  ToBotFromEmulatorOpenIdMetadataUrl: 'https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration',
  CallerId: 'urn:botframework:azure',
  ValidateAuthority: true,
};

/** botbuilder's authentication from our validated config, never from process.env. */
export function botFrameworkAuthentication(bot: BotConfig): ConfigurationBotFrameworkAuthentication {
  const credentials = bot.appId
    ? {
        MicrosoftAppId: bot.appId,
        MicrosoftAppPassword: bot.appPassword ?? '',
        MicrosoftAppType: bot.appType,
        MicrosoftAppTenantId: bot.tenantId ?? '',
      }
    : // Local mode: botbuilder's SingleTenant/MSI checks would demand an app id, and none is used.
      { MicrosoftAppId: '', MicrosoftAppPassword: '', MicrosoftAppType: 'MultiTenant', MicrosoftAppTenantId: '' };
  const endpoints = bot.openIdMetadataUrl
    ? { ...PUBLIC_CLOUD, ToBotFromChannelOpenIdMetadataUrl: bot.openIdMetadataUrl }
    : {};
  return new ConfigurationBotFrameworkAuthentication({ ...credentials, ...endpoints });
}
