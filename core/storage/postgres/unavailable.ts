import type pg from 'pg';
import { DeflectError, UnavailableError } from '../../errors.ts';

/** Connection failures, server shutdown (57P01: a session terminated), too many connections: retrying later may work. */
const TRANSIENT = /^(08|53|57P)/;
const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EPIPE']);
/** pg's own words for a connection that dropped, or one used again after it dropped. */
const LOST = /timeout|Connection terminated|not queryable/i;

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
  throw unavailableIfLost(error);
}

/**
 * UnavailableError for a failure to reach the database, `error` itself
 * otherwise. Also for the statements run on a checked-out connection
 * (withClient, transaction), which reportUnavailable's pool never sees: a
 * session terminated under a transaction is as unavailable as a refused
 * connection. Our own errors (a conflict, a 404) pass unchanged, whatever
 * their words.
 */
export function unavailableIfLost(error: unknown): unknown {
  if (error instanceof DeflectError) return error;
  const e = error as { code?: string; message?: string };
  const transient =
    (typeof e.code === 'string' && (TRANSIENT.test(e.code) || NETWORK.has(e.code))) || LOST.test(e.message ?? '');
  return transient
    ? new UnavailableError(`the database cannot be reached: ${e.code ?? e.message}`, { cause: error })
    : error;
}
