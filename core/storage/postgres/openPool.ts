import pg from 'pg';
import { describeUrl } from '../../config/storage.ts';
import { log } from '../../logger.ts';
import { reportUnavailable } from './unavailable.ts';

/**
 * The connection pool on DATABASE_URL, as the server and the CLI use it:
 * its failures to reach the database are UnavailableError (503, retry), and
 * an idle connection the server ends is logged (the database without its
 * user or password) and replaced, never a crash.
 */
export function openPool(url: string, { max }: { max: number }): pg.Pool {
  const pool = reportUnavailable(new pg.Pool({ connectionString: url, max, connectionTimeoutMillis: 10_000 }));
  // An idle connection dropped by the server: the pool hears it, drops it, and opens a new one when needed.
  pool.on('error', (error) =>
    log.warn('storage', 'postgres connection error', { database: describeUrl(url), error: error.message }),
  );
  return pool;
}
