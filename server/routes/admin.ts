import { Router } from 'express';
import type { Config } from '../../core/config/index.ts';
import { Reports, sharedFactStore } from '../../core/reports/reports.ts';
import type { CoreServices } from '../../core/services.ts';
import { authenticator } from '../auth.ts';
import { agentTicketRoutes } from './agentTickets.ts';
import { dashboardRoutes } from './dashboard.ts';
import { phrasingRoutes } from './phrasings.ts';
import { privacyRoutes } from './privacy.ts';
import { reportRoutes } from './reports.ts';

/** Agent, lead and admin routes, behind API keys (tickets, reports, dashboard, privacy). */
export function adminRoutes(core: CoreServices, config: Config): Router {
  const requireRole = authenticator(config.access);
  const facts = sharedFactStore(core.events, config.dataDir);
  const reports = new Reports({ store: facts, articles: () => core.index.get().articles, kbDir: config.kbDir, windowDays: config.deflectionWindowDays });
  const router = Router();
  router.use(agentTicketRoutes(core, requireRole));
  router.use(reportRoutes(core, config, reports, requireRole));
  router.use(phrasingRoutes(core, requireRole));
  router.use(privacyRoutes(core, config, facts, requireRole));
  router.use(dashboardRoutes(requireRole));
  return router;
}
