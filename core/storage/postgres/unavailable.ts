import type pg from 'pg';
import { UnavailableError } from '../../errors.ts';

/** Connection failures, server shutdown, too many connections: retrying later may work. */
const TRANSIENT = /^(08|53|57P)/;
const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EPIPE']);

/**
 * Make the pool's failures to reach the database UnavailableError (503 and a
 * retry, like a full disk), not a generic 500. Errors of a query itself
 * (constraint, syntax) pass unchanged.
 */
export function reportUnavailable(pool: pg.Pool): pg.Pool {
  const query = pool.query.bind(pool) as (...args: unknown[]) => Promise<unknown>;
  const connect = pool.connect.bind(pool) as (...args: unknown[]) => Promise<pg.PoolClient> | undefined;
  pool.query = ((...args: unknown[]) => query(...args).catch(rethrow)) as typeof pool.query;
  // The pool's own query() connects with a callback: that form passes through untouched.
  pool.connect = ((...args: unknown[]) =>
    args.length ? connect(...args) : connect()!.catch(rethrow)) as typeof pool.connect;
  return pool;
}

function rethrow(error: unknown): never {
  const e = error as { code?: string; message?: string };
  const transient =
    (typeof e.code === 'string' && (TRANSIENT.test(e.code) || NETWORK.has(e.code))) ||
    /timeout|Connection terminated/i.test(e.message ?? '');
  throw transient
    ? new UnavailableError(`the database cannot be reached: ${e.code ?? e.message}`, { cause: error })
    : error;
}
