import pg from 'pg';
import { unavailableIfLost } from './unavailable.ts';

/** pg's words for a statement on a connection that had dropped before the borrower heard it. */
const DROPPED = /Connection terminated|not queryable/;

/**
 * Run `fn` on one pooled connection. A connection that drops while it is
 * checked out emits 'error' besides failing the query in flight; unheard,
 * that event crashes the process (seen when the database went away under a
 * snapshot poll), so it is heard here, and a broken connection — or one
 * `fn` calls `discard` on — is released with its error so the pool closes
 * it instead of reusing it. What `fn` throws because the connection was lost
 * is UnavailableError (503, retry), as the pool's own queries' is.
 */
export async function withClient<T>(
  pool: pg.Pool,
  fn: (client: pg.PoolClient, discard: (why: Error) => void) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const discard = (why: Error) => (broken ??= why);
  client.on('error', discard);
  try {
    return await fn(client, discard);
  } catch (error) {
    // Only the database's failures: `fn` may also throw what else it called (an index build under a lock, its embedder).
    const lost = error instanceof pg.DatabaseError || broken || DROPPED.test((error as Error).message ?? '');
    throw lost ? unavailableIfLost(error) : error;
  } finally {
    client.off('error', discard);
    client.release(broken);
  }
}

/** Run `fn` in one transaction on one pooled connection: committed when it resolves, rolled back when it throws. */
export function transaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  return withClient(pool, async (client) => {
    await client.query('BEGIN');
    try {
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  });
}
