import { log } from '../logger.ts';

/** How long /healthz waits for the database or Redis before calling it unreachable. */
const HEALTH_TIMEOUT_MS = 2000;

/** Whether a server answers `probe` in time; why not goes to the log, never to the caller (it may name a host or user). */
export async function answers(probe: () => Promise<unknown>): Promise<'reachable' | 'unreachable'> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      probe(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${HEALTH_TIMEOUT_MS} ms`)), HEALTH_TIMEOUT_MS);
      }),
    ]);
    return 'reachable';
  } catch (error) {
    log.warn('storage', 'health check: a shared store did not answer', { error: (error as Error).message });
    return 'unreachable';
  } finally {
    clearTimeout(timer);
  }
}
