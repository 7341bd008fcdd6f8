import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { Router } from 'express';
import type { AccessResponse } from '../../core/contracts/reports.ts';
import { UnavailableError } from '../../core/errors.ts';
import type { authenticator } from '../auth.ts';

const DASHBOARD = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dashboard');
const PAGE = path.join(DASHBOARD, 'reports.html');
const DIST = path.join(DASHBOARD, 'dist');

/**
 * The leads' dashboard: the page, and its script and stylesheet built from
 * dashboard/ (dashboard/build.ts, run by `npm start` and `npm test`). The page
 * itself holds no data: its script asks for a key, keeps it in sessionStorage
 * (gone when the tab closes) and sends it as a Bearer token to
 * /api/reports/*, which check the lead role.
 * `GET /api/access` tells the page whether it needs a key at all (local mode,
 * see server/auth.ts), so it neither asks for one nor fails a request first.
 */
export function dashboardRoutes(requireRole: ReturnType<typeof authenticator>): Router {
  const router = Router();
  router.get('/api/access', (req, res) => {
    res.set('Cache-Control', 'no-store');
    res.json({ keyRequired: requireRole.keyRequired(req) } satisfies AccessResponse);
  });
  router.get('/reports', (_req, res) => {
    // A server started without `npm start` (tsx server/main.ts) has not built it: say how, rather than a blank page.
    if (!existsSync(path.join(DIST, 'reports.js')))
      throw new UnavailableError('The dashboard is not built: run npm run build:dashboard (npm start does it)');
    res.set('Cache-Control', 'no-store');
    res.sendFile(PAGE);
  });
  // Not cached: the page names the files without a version, and a lead must not get an old script after an upgrade.
  router.use('/dashboard', express.static(DIST, { index: false, maxAge: 0 }));
  return router;
}
