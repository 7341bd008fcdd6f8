import { configureLogger } from '../core/logger.ts';
import { loadGloveWordVectors } from '../core/search/gloveWordVectors.ts';
import { buildDashboard } from '../dashboard/build.ts';
import { buildWidget } from '../widget/build.ts';
import { buildAgentInbox } from '../agent/build.ts';

// Tests print failures, not the info lines a running server writes.
configureLogger({ level: 'error' });

/**
 * Server processes started by tests serve the built widget and dashboard, and
 * a clean clone has neither yet (`npm start` builds them in `prestart`;
 * `npm test` does not), so build them once before any spec runs, whatever
 * order mocha picks.
 */
export async function mochaGlobalSetup(): Promise<void> {
  await buildWidget();
  await buildDashboard();
  await buildAgentInbox();
  // The same for the word vectors' cache (node_modules/.cache/deflect): its first conversion takes seconds, not a spec's business.
  await loadGloveWordVectors();
}
