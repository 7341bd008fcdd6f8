import { erasePersonalData, type EraseResult } from '../privacy/erasePersonalData.ts';
import type { CoreServices } from '../services.ts';

/**
 * Erase one person's personal data on request, wherever the data directory
 * keeps it: events (and their report caches), tickets, live conversations,
 * undelivered webhooks, e-mails and WhatsApp replies, and the channels' state
 * (core/privacy/erasePersonalData.ts). A person known only on WhatsApp is named by their number (wa_id).
 */
export async function eraseUser(
  core: Pick<
    CoreServices,
    | 'events'
    | 'tickets'
    | 'conversations'
    | 'deliveries'
    | 'facts'
    | 'channelState'
    | 'defaultLang'
    | 'mail'
    | 'whatsapp'
  >,
  input: { email: string } | { phone: string },
): Promise<EraseResult> {
  const { events, tickets, conversations, deliveries, facts, defaultLang, mail, whatsapp } = core;
  const channelState = await core.channelState();
  return erasePersonalData(
    { events, tickets, conversations, deliveries, mail, whatsapp, facts, channelState, defaultLang },
    'email' in input ? input.email : input.phone,
  );
}
