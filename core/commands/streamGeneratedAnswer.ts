import type { GenerationEvent } from '../answers/generative/generateAnswer.ts';
import { NotFoundError } from '../errors.ts';
import type { CoreServices } from '../services.ts';

/**
 * The generative fallback for a conversation's last question, as a stream of
 * events (sources, deltas, then done, none or error): core/answers/generative.
 * Only where GENERATIVE_FALLBACK is on; the transport mounts no route otherwise.
 * An unknown conversation, or one with no question yet, is not found.
 */
export function streamGeneratedAnswer(
  core: Pick<CoreServices, 'generative' | 'conversations' | 'engine'>,
  input: { conversationId: string; signal: AbortSignal },
): AsyncGenerator<GenerationEvent> {
  const generative = core.generative;
  if (!generative) throw new NotFoundError('generative fallback', 'off');
  return (async function* () {
    const conversation = await core.conversations.get(input.conversationId);
    if (!conversation?.lastQuestion) throw new NotFoundError('conversation', input.conversationId);
    yield* generative.generate(
      { conversation, question: conversation.lastQuestion, signal: input.signal },
      core.engine,
    );
  })();
}
