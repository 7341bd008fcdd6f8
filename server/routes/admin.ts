import { Router } from 'express';
import type { Config } from '../../core/config/index.ts';
import type { CoreServices } from '../../core/services.ts';

/** Agent and lead routes behind API keys (tickets, reports, dashboard). Filled by issue #5. */
export function adminRoutes(_core: CoreServices, _config: Config): Router {
  return Router();
}
