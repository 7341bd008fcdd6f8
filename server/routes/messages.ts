import { Router } from 'express';
import type { Config } from '../../core/config/index.ts';
import type { CoreServices } from '../../core/services.ts';

/** Bot Framework endpoint (POST /api/messages). Filled by the bot work (issue #4). */
export function messagesRoutes(_core: CoreServices, _config: Config): Router {
  return Router();
}
