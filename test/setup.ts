import { configureLogger } from '../core/logger.ts';
import { buildWidget } from '../widget/build.ts';

// Tests print failures, not the info lines a running server writes.
configureLogger({ level: 'error' });

/**
 * Server processes started by tests serve the built widget, and a clean clone
 * has none yet (`npm start` builds it in `prestart`; `npm test` does not), so
 * build it once before any spec runs, whatever order mocha picks.
 */
export async function mochaGlobalSetup(): Promise<void> {
  await buildWidget();
}
