import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Router } from 'express';
import type { authenticator } from '../auth.ts';

const PAGE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../public/reports.html');

/**
 * The leads' dashboard. The page itself holds no data: its script asks for a
 * key, keeps it in sessionStorage (gone when the tab closes) and sends it as
 * a Bearer token to /api/reports/*, which check the lead role.
 * `GET /api/access` tells the page whether it needs a key at all (local mode,
 * see server/auth.ts), so it neither asks for one nor fails a request first.
 */
export function dashboardRoutes(requireRole: ReturnType<typeof authenticator>): Router {
  const router = Router();
  router.get('/api/access', (req, res) => {
    res.set('Cache-Control', 'no-store');
    res.json({ keyRequired: requireRole.keyRequired(req) });
  });
  router.get('/reports', (_req, res) => {
    res.set('Cache-Control', 'no-store');
    res.sendFile(PAGE);
  });
  return router;
}
