/**
 * Builds the agents' inbox into agent/dist/ (web/buildPage.ts), as the dashboard is built:
 *   inbox.js   src/index.ts and its modules in one minified script
 *   inbox.css  the page's stylesheet, minified
 * The server serves them under /agent/ and the page itself (inbox.html) at /agent.
 * Run directly with `tsx agent/build.ts` (`npm start` and the specs' setup run it first).
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildPage, buildWhenRun } from '../web/buildPage.ts';

const here = dirname(fileURLToPath(import.meta.url));
export const AGENT_DIST = join(here, 'dist');

/** Bundles the inbox; returns each written file with its size in bytes. */
export function buildAgentInbox(outDir: string = AGENT_DIST): Promise<Array<{ file: string; bytes: number }>> {
  return buildPage(
    { dir: here, stylesheet: 'inbox.css', outputs: { script: 'inbox.js', stylesheet: 'inbox.css' } },
    outDir,
  );
}

buildWhenRun(import.meta.url, 'agent/dist', () => buildAgentInbox());
