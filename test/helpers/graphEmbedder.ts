import type { Lang } from '../../core/contracts/api.ts';
import { HashingEmbedder } from '../../core/search/hashingEmbedder.ts';
import type { Embedder } from '../../core/search/ports.ts';

/**
 * The hashing embedder's vectors, offered as a dense model's (no
 * `sparseQueries`): what a configured model gets, hnswlib's graph, on
 * vectors the specs can make offline.
 */
export function graphEmbedder(dimensions = 1024): Embedder {
  const inner = new HashingEmbedder(dimensions);
  return {
    id: `dense-${inner.id}`,
    dimensions,
    embed: (texts: string[], kind: 'query' | 'passage', lang?: Lang) => inner.embed(texts, kind, lang),
  };
}
