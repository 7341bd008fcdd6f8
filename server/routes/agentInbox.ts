import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { Router } from 'express';
import type { TicketCountsResponse } from '../../core/contracts/agent.ts';
import type { CoreServices } from '../../core/services.ts';
import { countTickets } from '../../core/commands/countTickets.ts';
import { UnavailableError } from '../../core/errors.ts';
import type { authenticator } from '../auth.ts';
import { validate } from '../validate.ts';
import { listSchema } from './agentTickets.ts';

const AGENT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../agent');
const PAGE = path.join(AGENT, 'inbox.html');
const DIST = path.join(AGENT, 'dist');

/** The queue's filters without the status (counted one by one) or the page. */
const countsSchema = listSchema.omit({ status: true, page: true, pageSize: true });

/**
 * The agents' inbox: the page, its script and stylesheet built from agent/
 * (agent/build.ts, run by `npm start` and the specs' setup), and the counts
 * per status its tabs show. As with /reports, the page holds no data: its
 * script sends the agent's key (or none, in local mode: GET /api/access) to
 * the agent routes, which check the role.
 */
export function agentInboxRoutes(core: CoreServices, requireRole: ReturnType<typeof authenticator>): Router {
  const router = Router();
  router.get('/api/ticket-counts', requireRole('agent'), async (req, res) => {
    res.json((await countTickets(core, validate(countsSchema, req.query))) satisfies TicketCountsResponse);
  });
  router.get('/agent', (_req, res) => {
    if (!existsSync(path.join(DIST, 'inbox.js')))
      throw new UnavailableError('The agent inbox is not built: run npm run build:agent (npm start does it)');
    res.set('Cache-Control', 'no-store');
    res.sendFile(PAGE);
  });
  // Not cached, as the dashboard's: the page names the files without a version.
  router.use('/agent', express.static(DIST, { index: false, maxAge: 0 }));
  return router;
}
