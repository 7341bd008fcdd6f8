import { configureLogger } from '../../core/logger.ts';

/**
 * Run `fn` while collecting every structured log line written to stderr (and
 * not printing them). Lowers the log level for the duration, then puts back
 * the level tests run at (test/setup.ts).
 */
export async function captureLogs<T>(fn: () => Promise<T>): Promise<{ result: T; logs: Record<string, any>[] }> {
  const lines: string[] = [];
  const write = process.stderr.write;
  process.stderr.write = ((chunk: string | Uint8Array) => (
    lines.push(String(chunk)),
    true
  )) as typeof process.stderr.write;
  configureLogger({ level: 'debug' });
  try {
    const result = await fn();
    return {
      result,
      logs: lines
        .flatMap((l) => l.split('\n'))
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l)),
    };
  } finally {
    configureLogger({ level: 'error' });
    process.stderr.write = write;
  }
}
