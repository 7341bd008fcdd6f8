import { CloudAdapter, type Activity, type InvokeResponse, type TurnContext } from 'botbuilder';
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
