import { Router } from 'express';
import type { CoreServices } from '../../core/services.ts';
import { checkHealth } from '../../core/commands/checkHealth.ts';

/** Liveness and what is being served. */
export function healthRoutes(core: CoreServices): Router {
  const router = Router();
  router.get('/healthz', async (_req, res) => {
    res.json(await checkHealth(core));
  });
  return router;
}
