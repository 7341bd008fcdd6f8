import type { CoreServices } from '../services.ts';

/** What a channel needs to know of a conversation before handing it over: has a question been asked (it becomes the ticket's subject)? */
export async function conversationStatus(
  core: Pick<CoreServices, 'conversations'>,
  input: { conversationId: string },
): Promise<{ hasQuestion: boolean }> {
  return { hasQuestion: !!(await core.conversations.get(input.conversationId))?.lastQuestion };
}
