import { Router } from 'express';
import type { CoreServices } from '../../core/services.ts';
import { ResilientFullTextIndex } from '../../core/search/resilientFullTextIndex.ts';

/** Liveness and what is being served. */
export function healthRoutes(core: CoreServices): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    const index = core.index.get();
    const published = [...index.articles.values()].filter((a) => a.status === 'published').length;
    // A remote search engine that is down leaves the server answering from its own index: degraded, still 200.
    const search = index.fullText instanceof ResilientFullTextIndex ? index.fullText.health.report() : undefined;
    res.json({
      status: search?.state === 'degraded' ? 'degraded' : 'ok',
      articles: index.articles.size,
      published,
      index: {
        createdAt: index.manifest.createdAt,
        fullText: index.fullText.kind,
        ...(search ? { search } : {}),
        vectors: { kind: index.vectors.kind, count: index.vectors.size(), embedder: index.manifest.embedder.id, dimensions: index.manifest.embedder.dimensions },
        calibrationSamples: index.manifest.calibration.samples,
        selfService: index.manifest.calibration.selfService ?? null,
        wordVectors: index.terms.wordVectors,
      },
      conversations: core.conversations.size(),
    });
  });
  return router;
}
