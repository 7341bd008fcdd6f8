import type { WordVectors } from '../core/search/ports.ts';
import { configFromEnv } from '../core/config/index.ts';
import { createWordVectors } from '../core/createCore.ts';

let loaded: Promise<WordVectors | null> | undefined;

/** The word vectors a server with the same environment uses (WORD_VECTORS), loaded once per bench process. */
export function configuredWordVectors(): Promise<WordVectors | null> {
  return (loaded ??= createWordVectors(configFromEnv()));
}
