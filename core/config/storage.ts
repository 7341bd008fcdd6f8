import { z } from 'zod';

/**
 * Where shared state lives. Both unset: the embedded stores in DATA_DIR (one
 * process per data directory). Set: PostgreSQL holds tickets, events,
 * conversations and channel state; Redis holds the rate limits.
 */
export const storageEnv = z.object({
  /** PostgreSQL (≥ 15) connection URL, e.g. postgres://deflect@db/deflect; unset = embedded stores in DATA_DIR. May hold a password: never echoed. */
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// or postgresql:// URL' }).optional(),
  /** Redis (≥ 7) connection URL, e.g. redis://cache:6379; unset = rate limits in this process's memory. May hold a password: never echoed. */
  REDIS_URL: z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' }).optional(),
  /** Prefix of every Redis key Deflect writes, so several deployments can share one Redis. */
  REDIS_KEY_PREFIX: z.string().min(1).max(100).default('deflect:'),
});

export interface StorageConfig {
  databaseUrl?: string;
  redisUrl?: string;
  redisKeyPrefix: string;
}

export function storageConfig(env: z.infer<typeof storageEnv>): StorageConfig {
  return { databaseUrl: env.DATABASE_URL, redisUrl: env.REDIS_URL, redisKeyPrefix: env.REDIS_KEY_PREFIX };
}

/** Host, port and database of a connection URL, without user or password: what may go to a log. */
export function describeUrl(url: string): string {
  const u = new URL(url);
  return `${u.protocol}//${u.host}${u.pathname === '/' ? '' : u.pathname}`;
}
