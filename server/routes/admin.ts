import { Router } from 'express';
import type { Config } from '../../core/config/index.ts';
import type { CoreServices } from '../../core/services.ts';
import { authenticator } from '../auth.ts';
import { agentTicketRoutes } from './agentTickets.ts';
import { agentInboxRoutes } from './agentInbox.ts';
import { dashboardRoutes } from './dashboard.ts';
import { phrasingRoutes } from './phrasings.ts';
import { privacyRoutes } from './privacy.ts';
import { reportRoutes } from './reports.ts';

/** Agent, lead and admin routes, behind API keys (tickets, reports, dashboard, privacy). */
export function adminRoutes(core: CoreServices, config: Config): Router {
  const requireRole = authenticator(config.access);
  const router = Router();
  router.use(agentTicketRoutes(core, requireRole));
  router.use(reportRoutes(core, requireRole));
  router.use(phrasingRoutes(core, requireRole));
  router.use(privacyRoutes(core, requireRole));
  router.use(dashboardRoutes(requireRole));
  router.use(agentInboxRoutes(core, requireRole));
  return router;
}
