import type { DialogState } from '../dialog/types.ts';
import { ETagConflictError } from '../storage/keyValueStore.ts';
import type { KeyValueRepository } from '../storage/ports.ts';

/**
 * What the WhatsApp channel keeps in the channels' shared state (the same
 * store as the bot's, so it is shared by every instance, expires after
 * BOT_STATE_TTL_DAYS and is reached by an erasure request).
 */

/** A person's conversation: keyed by their WhatsApp id (the phone number), which is also the id Deflect records. */
export interface WhatsAppConversation extends DialogState {
  userId: string;
  /** When the person last wrote (WhatsApp's own timestamp): the 24-hour customer-service window starts there. */
  lastInboundAt?: string;
}

type Store = KeyValueRepository<Record<string, unknown>>;

export const conversationKey = (waId: string) => `whatsapp/conversations/${waId}`;
const messageKey = (messageId: string) => `whatsapp/messages/${messageId}`;

/** An eTag no entry ever has (eTags are numbers): a write naming it can only create the entry. */
const NEW_ONLY = 'claim';

/**
 * Claim a webhook message for processing, once across instances: Meta
 * delivers at least once, so the same message id may arrive twice, even at
 * two instances at the same moment. The first claim creates the entry; any
 * later one finds it (its eTag is never NEW_ONLY) and is refused, in either
 * adapter (checked and written in one step). Resolves true for the winner.
 */
export async function claimMessage(store: Store, messageId: string, now: Date): Promise<boolean> {
  try {
    await store.put([{ key: messageKey(messageId), value: { at: now.toISOString() }, ifMatch: NEW_ONLY }]);
    return true;
  } catch (error) {
    if (error instanceof ETagConflictError) return false;
    throw error;
  }
}

/** The person's conversation and its eTag, or a new one. */
export async function readConversation(
  store: Store,
  waId: string,
): Promise<{ conversation: WhatsAppConversation; eTag?: string }> {
  const entry = await store.get(conversationKey(waId));
  if (!entry) return { conversation: { userId: waId } };
  return { conversation: entry.value as unknown as WhatsAppConversation, eTag: entry.eTag };
}

/** Keep the conversation; a write another instance made since it was read wins (ETagConflictError). */
export async function writeConversation(
  store: Store,
  conversation: WhatsAppConversation,
  eTag: string | undefined,
): Promise<void> {
  await store.put([
    {
      key: conversationKey(conversation.userId),
      value: conversation as unknown as Record<string, unknown>,
      // A first conversation is created once: a second instance writing one at the same moment is refused.
      ifMatch: eTag ?? NEW_ONLY,
    },
  ]);
}
