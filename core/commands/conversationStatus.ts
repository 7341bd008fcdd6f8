import type { CoreServices } from '../services.ts';

/** What a channel needs to know of a conversation before handing it over: has a question been asked (it becomes the ticket's subject)? */
export function conversationStatus(core: Pick<CoreServices, 'conversations'>, input: { conversationId: string }): { hasQuestion: boolean } {
  return { hasQuestion: !!core.conversations.get(input.conversationId)?.lastQuestion };
}
