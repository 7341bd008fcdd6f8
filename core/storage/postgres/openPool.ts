import pg from 'pg';
import { describeUrl } from '../../config/storage.ts';
import { log } from '../../logger.ts';
import { reportUnavailable } from './unavailable.ts';

/**
 * The connection pool on DATABASE_URL, as the server and the CLI use it:
 * its failures to reach the database are UnavailableError (503, retry), and
 * a connection the server ends (a restart, a failover, pg_terminate_backend)
 * is logged (the database without its user or password) and replaced,
 * never a crash.
 */
export function openPool(url: string, { max }: { max: number }): pg.Pool {
  const pool = reportUnavailable(new pg.Pool({ connectionString: url, max, connectionTimeoutMillis: 10_000 }));
  const lost = (error: Error) =>
    log.warn('storage', 'postgres connection error', { database: describeUrl(url), error: error.message });
  // An idle connection: the pool hears it, drops it, and opens a new one when needed.
  pool.on('error', lost);
  // A connection handed out is heard by its borrower (pool.query, withClient), but only from the borrower's
  // next tick: a server's "ready" and "terminating" read together reach it before, and an 'error' event
  // nobody hears ends the process. So every connection hears its errors for life; said here only when
  // nobody else heard (the pool's listener or the borrower's).
  pool.on('connect', (client) =>
    client.on('error', (error) => {
      if (client.listenerCount('error') === 1) lost(error);
    }),
  );
  return pool;
}
