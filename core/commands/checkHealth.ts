import path from 'node:path';
import type { Article } from '../articles/types.ts';
import { DeferredFullTextIndex } from '../search/deferredFullTextIndex.ts';
import { ResilientFullTextIndex } from '../search/resilientFullTextIndex.ts';
import { servedCoverage } from '../indexing/indexedSelfService.ts';
import type { CoreServices } from '../services.ts';
import { PooledAnswerEngine } from '../answers/threads/pooledAnswerEngine.ts';

/**
 * Published articles per served articles map, counted once: a map is not
 * changed once served (a delta makes a new one), and load balancers poll this
 * route. Counted on each call, it copied and filtered the whole map (about
 * 400 KB of garbage per call at 10k articles, a scavenge every few calls:
 * 3,300-5,000 req/s against 12,200-12,800 counted once, bench/RESULTS.md).
 */
const publishedCounts = new WeakMap<ReadonlyMap<string, Article>, number>();

function publishedCount(articles: ReadonlyMap<string, Article>): number {
  let n = publishedCounts.get(articles);
  if (n === undefined) {
    n = 0;
    for (const a of articles.values()) if (a.status === 'published') n++;
    publishedCounts.set(articles, n);
  }
  return n;
}

/**
 * Liveness and what is being served: the index, its engines, the storage
 * (its kind, and whether the database and Redis answer: never a URL, this
 * route is public), the KB's estimated self-service coverage and the live
 * conversations.
 */
export async function checkHealth(
  core: Pick<CoreServices, 'index' | 'conversations' | 'storageHealth'> & Partial<Pick<CoreServices, 'engine'>>,
) {
  const index = core.index.get();
  const selfService = index.manifest.calibration.selfService;
  const published = publishedCount(index.articles);
  // A remote search engine that is down leaves the server answering from its own index: degraded, still 200.
  const search = index.fullText instanceof ResilientFullTextIndex ? index.fullText.health.report() : undefined;
  // The in-process full-text index loads after "ready" (DeferredFullTextIndex): searches wait for it meanwhile.
  const local = index.fullText instanceof ResilientFullTextIndex ? index.fullText.fallback : index.fullText;
  const fullTextLoad = local instanceof DeferredFullTextIndex ? local.state() : 'ready';
  const storage = await core.storageHealth();
  // A shared store out of reach: questions and tickets answer 503 until it is back, so not "ok".
  const down = storage.database === 'unreachable' || storage.redis === 'unreachable';
  return {
    status: search?.state === 'degraded' || down || fullTextLoad === 'failed' ? ('degraded' as const) : ('ok' as const),
    articles: index.articles.size,
    published,
    index: {
      // Which snapshot this instance serves: on PostgreSQL every instance names the published one.
      snapshot: index.snapshotDir ? path.basename(index.snapshotDir) : null,
      createdAt: index.manifest.createdAt,
      fullText: index.fullText.kind,
      // waiting or loading (just after start), ready, rebuilding or rebuilt (its stored file did not read), failed.
      fullTextLoad,
      ...(search ? { search } : {}),
      vectors: {
        kind: index.vectors.kind,
        count: index.vectors.size(),
        embedder: index.manifest.embedder.id,
        dimensions: index.manifest.embedder.dimensions,
      },
      calibrationSamples: index.manifest.calibration.samples,
      // The weakest articles only: the coverage estimate has its own, rounded, object below.
      selfService: selfService ? { weakest: selfService.weakest } : null,
      wordVectors: index.terms.wordVectors,
    },
    // Figures only, read from the served manifest: no article, no question, nothing computed per request.
    coverage: servedCoverage(index.manifest),
    storage,
    // ENGINE_THREADS: how many worker threads answer beside the main thread (they start once it is busy); null when none may.
    engineThreads: core.engine instanceof PooledAnswerEngine ? core.engine.threads.stats() : null,
    // Held in this process's memory; null when they are read from the database on demand (storage.conversations).
    conversations: core.conversations.size(),
  };
}
