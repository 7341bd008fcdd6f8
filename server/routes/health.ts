import { Router } from 'express';
import type { CoreServices } from '../../core/services.ts';

/** Liveness and what is being served. */
export function healthRoutes(core: CoreServices): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    const index = core.index.get();
    const published = [...index.articles.values()].filter((a) => a.status === 'published').length;
    res.json({
      status: 'ok',
      articles: index.articles.size,
      published,
      index: {
        createdAt: index.manifest.createdAt,
        fullText: index.fullText.kind,
        vectors: { kind: index.vectors.kind, count: index.vectors.size(), embedder: index.manifest.embedder.id, dimensions: index.manifest.embedder.dimensions },
        calibrationSamples: index.manifest.calibration.samples,
      },
      conversations: core.conversations.size(),
    });
  });
  return router;
}
