import { MiniSearchIndex } from '../../core/search/miniSearchIndex.ts';
import { ResilientFullTextIndex, SearchHealth } from '../../core/search/resilientFullTextIndex.ts';
import type { AbortableFullTextIndex } from '../../core/search/resilientFullTextIndex.ts';
import { fullTextContract } from './fullTextContract.ts';

fullTextContract('in-process (MiniSearch)', async (docs, synonyms) => ({
  index: MiniSearchIndex.build(docs, synonyms),
}));

/** A remote engine that is down for good: every answer must come from the fallback, and the port's promises still hold. */
const down: AbortableFullTextIndex = {
  kind: 'down',
  count: () => 0,
  search: async () =>
    Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { name: 'MeilisearchRequestError' })),
  suggest: async () =>
    Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { name: 'MeilisearchRequestError' })),
};

fullTextContract('resilient wrapper over an engine that is down', async (docs, synonyms) => {
  const health = new SearchHealth('meilisearch', 'in-process', () => Promise.reject(new Error('still down')), 60_000);
  return {
    index: new ResilientFullTextIndex(() => down, MiniSearchIndex.build(docs, synonyms), health, 1000),
    close: async () => health.close(),
  };
});
