import type { Config } from './config/index.ts';
import { log } from './logger.ts';
import { GLOVE_PACKAGE, loadGloveWordVectors } from './search/gloveWordVectors.ts';
import { HashingEmbedder } from './search/hashingEmbedder.ts';
import { LocalModelEmbedder } from './search/localModelEmbedder.ts';
import { OpenAiEmbedder } from './search/openAiEmbedder.ts';
import type { Embedder, WordVectors } from './search/ports.ts';

/*
 * The answer engine's models as configured: what a server, the indexer and an
 * engine worker thread (core/answers/threads/engineWorker.ts) each make for
 * themselves. Apart from createCore.ts so a worker loads these, not the stores.
 */

/** The configured embedder. */
export function createEmbedder(
  config: Pick<Config, 'embedder'> & Partial<Pick<Config, 'backends' | 'hashingDimensions'>>,
): Embedder {
  const e = config.backends?.embeddings;
  switch (config.embedder) {
    case 'hashing':
      return new HashingEmbedder(config.hashingDimensions);
    case 'openai':
    case 'azure-openai':
      return new OpenAiEmbedder({ ...e!, provider: config.embedder, model: e!.model! });
    case 'local':
      return new LocalModelEmbedder(e!.localDir!, { queryPrefix: e!.queryPrefix, passagePrefix: e!.passagePrefix });
  }
}

/** The configured word vectors: null when off or not installed (the engine is then lexical only, and says so once). */
export async function createWordVectors(config: Pick<Config, 'wordVectors'>): Promise<WordVectors | null> {
  if (config.wordVectors === 'off') return null;
  try {
    const vectors = await loadGloveWordVectors();
    if (!vectors)
      log.info(
        'index',
        `word vectors not installed (optional package ${GLOVE_PACKAGE}): answering from the KB's words alone`,
      );
    return vectors;
  } catch (error) {
    // A damaged install, or too little memory for the first conversion: serve without them rather than not at all.
    log.warn('index', `could not load the word vectors (${GLOVE_PACKAGE}): answering from the KB's words alone`, {
      error,
    });
    return null;
  }
}

/** Load a model or learn its dimensions now, so a misconfigured model fails at start. */
export async function initEmbedder(embedder: Embedder): Promise<Embedder> {
  await (embedder as Embedder & { init?: () => Promise<void> }).init?.();
  return embedder;
}
