/**
 * Builds the leads' dashboard into dashboard/dist/ (web/buildPage.ts):
 *   reports.js   src/index.ts and its modules in one minified script
 *   reports.css  the page's stylesheet, minified
 * The server serves them under /dashboard/ and the page itself (reports.html) at /reports.
 * Run directly with `tsx dashboard/build.ts` (`npm start` and `npm test` run it first).
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildPage, buildWhenRun } from '../web/buildPage.ts';

const here = dirname(fileURLToPath(import.meta.url));
export const DASHBOARD_DIST = join(here, 'dist');

/** Bundles the dashboard; returns each written file with its size in bytes. */
export function buildDashboard(outDir: string = DASHBOARD_DIST): Promise<Array<{ file: string; bytes: number }>> {
  return buildPage(
    { dir: here, stylesheet: 'reports.css', outputs: { script: 'reports.js', stylesheet: 'reports.css' } },
    outDir,
  );
}

buildWhenRun(import.meta.url, 'dashboard/dist', () => buildDashboard());
