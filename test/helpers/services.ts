import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createClient } from 'redis';

/**
 * The PostgreSQL and Redis servers the *.int.test.ts specs use (CI starts
 * them; see .ci/run). Each spec gets its own database or key prefix and
 * drops it. When a server is unreachable, the reason is returned so the
 * spec can print it and skip.
 */
const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** Names of scratch databases and Redis key prefixes: runs sharing one server each take their own. */
const DATABASE_PREFIX = scratchPrefix('TEST_DATABASE_PREFIX', 'deflect_test_', /^[a-z_][a-z0-9_]{0,40}$/);
const REDIS_PREFIX = scratchPrefix('TEST_REDIS_PREFIX', 'deflect_test_', /^[\w:.-]{1,40}$/);

let postgresProbe: Promise<string | null> | undefined;
let redisProbe: Promise<string | null> | undefined;

/**
 * Skips the running suite or test when there is a `reason` (a missing service), printing it: mocha shows a
 * skipped spec as pending without saying why, and a reader of the run must see what was not tested.
 */
export function skipWhen(reason: string | null | undefined, ctx: { skip(): void }): void {
  if (!reason) return;
  console.log(`      skipped: ${reason}`);
  ctx.skip();
}

/** Null when PostgreSQL answers, else why not (asked once per run). */
export function postgresUnavailable(): Promise<string | null> {
  return (postgresProbe ??= (async () => {
    const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return null;
    } catch (error) {
      return `PostgreSQL not reachable at ${new URL(ADMIN_URL).host} (${(error as Error).message || (error as NodeJS.ErrnoException).code})`;
    } finally {
      await client.end().catch(() => undefined);
    }
  })());
}

/** Null when Redis answers, else why not (asked once per run). */
export function redisUnavailable(): Promise<string | null> {
  return (redisProbe ??= (async () => {
    const client = createClient({ url: REDIS_URL, socket: { connectTimeout: 3000, reconnectStrategy: false } });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.ping();
      return null;
    } catch (error) {
      return `Redis not reachable at ${new URL(REDIS_URL).host} (${(error as Error).message || (error as NodeJS.ErrnoException).code})`;
    } finally {
      if (client.isOpen) await client.close().catch(() => undefined);
    }
  })());
}

/** A new empty database, deflect_test_<random> (TEST_DATABASE_PREFIX<random>), and how to drop it. */
export async function freshDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${DATABASE_PREFIX}${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () =>
      admin(async (c) => {
        await sessionsGone(c, name);
        // WITH (FORCE): a pool a failed spec left open must not keep the database alive.
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      }),
  };
}

/** How long drop() waits for a database's sessions to end before it terminates them. */
const SESSIONS_GONE_MS = 2000;

/**
 * Wait (up to SESSIONS_GONE_MS) until no session is connected to `name`.
 * pool.end() resolves as soon as it has asked its clients to close, before
 * the server has seen them go; a session terminated by DROP … WITH (FORCE)
 * meanwhile sends "terminating connection due to administrator command" to a
 * client its pool has let go, whose pool re-emits it as an 'error' nobody
 * listens to: an uncaught error in the spec's afterEach.
 */
async function sessionsGone(client: pg.Client, name: string): Promise<void> {
  const deadline = Date.now() + SESSIONS_GONE_MS;
  for (;;) {
    const { rows } = await client.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [name],
    );
    if (!rows[0]!.n || Date.now() >= deadline) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A Redis URL and a fresh key prefix, and how to delete the keys written under it. */
export function freshRedisPrefix(): { url: string; prefix: string; drop(): Promise<void> } {
  const prefix = `${REDIS_PREFIX}${randomBytes(6).toString('hex')}:`;
  return {
    url: REDIS_URL,
    prefix,
    async drop() {
      const client = createClient({ url: REDIS_URL });
      client.on('error', () => undefined);
      await client.connect();
      try {
        for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 100 }))
          if (keys.length) await client.del(keys);
      } finally {
        await client.close();
      }
    },
  };
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** An environment variable's prefix, checked (it is spliced into SQL and key patterns), else the default. */
function scratchPrefix(variable: string, fallback: string, allowed: RegExp): string {
  const value = process.env[variable] || fallback;
  if (!allowed.test(value)) throw new Error(`${variable}=${value} is not a usable prefix (${allowed.source})`);
  return value;
}
