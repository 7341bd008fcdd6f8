import type { Config } from '../../config/index.ts';
import { GenerativeFallback, secretsIn } from './generateAnswer.ts';
import { OpenAiChatModel } from './openAiChatModel.ts';

/** The generative fallback as configured: an OpenAI-compatible chat model, guarded against leaking any configured secret. */
export function createGenerativeFallback(config: Pick<Config, 'backends'> & Partial<Config>): GenerativeFallback {
  const g = config.backends.generative;
  return new GenerativeFallback(new OpenAiChatModel(g), g, secretsIn(config));
}
