import { configureLogger } from '../../core/logger.ts';

/** The logger's lines (info and up) while `fn` runs; specs otherwise log errors only. */
export async function logged<T>(fn: () => Promise<T>): Promise<{ value: T; lines: string[] }> {
  const lines: string[] = [];
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string) => (lines.push(String(chunk)), true)) as typeof process.stderr.write;
  configureLogger({ level: 'info' });
  try {
    return { value: await fn(), lines };
  } finally {
    process.stderr.write = write;
    configureLogger({ level: 'error' });
  }
}
