import type { GenerationEvent } from '../answers/generative/generateAnswer.ts';
import { NotFoundError } from '../errors.ts';
import type { CoreServices } from '../services.ts';

/**
 * The generative fallback for a conversation's last question, as a stream of
 * events (sources, deltas, then done, none or error): core/answers/generative.
 * Only where GENERATIVE_FALLBACK is on; the transport mounts no route otherwise.
 */
export function streamGeneratedAnswer(
  core: CoreServices,
  input: { conversationId: string; signal: AbortSignal },
): AsyncGenerator<GenerationEvent> {
  if (!core.generative) throw new NotFoundError('generative fallback', 'off');
  return core.generative.generate(core, input);
}
