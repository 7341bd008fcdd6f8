import { ForbiddenError } from '../errors.ts';
import type { Conversation } from './types.ts';

/**
 * A conversation started by a verified user belongs to that user: nobody
 * else (anonymous or another user) may continue it, read it into a ticket or
 * give feedback on it, whatever conversation id they send.
 */
export function assertOwner(conversation: Conversation, asker: { id?: string; verified?: boolean } | undefined): void {
  const owner = conversation.user;
  if (!owner?.verified || !owner.id) return;
  if (asker?.verified && asker.id === owner.id) return;
  throw new ForbiddenError('this conversation belongs to another user');
}
