import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Router } from 'express';

const PAGE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../public/reports.html');

/**
 * The leads' dashboard. The page itself holds no data: its script asks for a
 * key, keeps it in sessionStorage (gone when the tab closes) and sends it as
 * a Bearer token to /api/reports/*, which check the lead role.
 */
export function dashboardRoutes(): Router {
  const router = Router();
  router.get('/reports', (_req, res) => {
    res.set('Cache-Control', 'no-store');
    res.sendFile(PAGE);
  });
  return router;
}
