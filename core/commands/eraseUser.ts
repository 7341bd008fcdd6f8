import { erasePersonalData, type EraseResult } from '../privacy/erasePersonalData.ts';
import type { CoreServices } from '../services.ts';

/**
 * Erase one person's personal data on request, wherever the data directory
 * keeps it: events (and their report caches), tickets, live conversations,
 * undelivered webhooks and e-mails, and the channels' state (core/privacy/erasePersonalData.ts).
 */
export async function eraseUser(
  core: Pick<
    CoreServices,
    'events' | 'tickets' | 'conversations' | 'deliveries' | 'facts' | 'channelState' | 'defaultLang' | 'mail'
  >,
  input: { email: string },
): Promise<EraseResult> {
  const { events, tickets, conversations, deliveries, facts, defaultLang, mail } = core;
  return erasePersonalData(
    { events, tickets, conversations, deliveries, mail, facts, channelState: await core.channelState(), defaultLang },
    input.email,
  );
}
