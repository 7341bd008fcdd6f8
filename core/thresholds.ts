import type { Config } from './config/index.ts';
import { DEFAULT_THRESHOLDS, type Thresholds } from './answers/pipeline/decide.ts';

/** The answer engine's thresholds: the operator's ANSWER_THRESHOLD and CLARIFY_THRESHOLD, the defaults for `auto`. */
export function thresholdsOf(config: Pick<Config, 'answerThreshold' | 'clarifyThreshold'>): Thresholds {
  return {
    ...DEFAULT_THRESHOLDS,
    ...(typeof config.answerThreshold === 'number' ? { answer: config.answerThreshold } : {}),
    ...(typeof config.clarifyThreshold === 'number' ? { clarify: config.clarifyThreshold } : {}),
  };
}
