import pg from 'pg';
import { openStores } from '../../core/storage/openStores.ts';
import type { Stores } from '../../core/storage/ports.ts';
import { freshDatabase, postgresUnavailable, skipWhen } from './services.ts';
import { tempDir } from './tempDir.ts';

/**
 * The ticket-facts specs' PostgreSQL setup, registered in the calling
 * describe: skipped (with the reason) without PostgreSQL; before each test a
 * fresh database with an instance `a` on it (Redis key prefix `prefix`),
 * `seed(a)` run, then a pool of `poolMax` connections for the spec's own
 * readers; after each, the pool ended before `a` closes and the database is
 * dropped. The returned object holds the current test's `a` and `pool`.
 */
export function ticketsOnPostgres(
  prefix: string,
  poolMax: number,
  seed: (a: Stores) => Promise<void>,
): { a: Stores; pool: pg.Pool } {
  const current = {} as { a: Stores; pool: pg.Pool };
  let db: Awaited<ReturnType<typeof freshDatabase>> | undefined;
  let dir: ReturnType<typeof tempDir> | undefined;

  before(async function () {
    const reason = await postgresUnavailable();
    skipWhen(reason, this);
  });

  beforeEach(async () => {
    db = await freshDatabase();
    dir = tempDir();
    current.a = await openStores({
      dataDir: dir.dir,
      bot: { stateTtlDays: 30 },
      storage: { databaseUrl: db.url, redisKeyPrefix: prefix },
    });
    await seed(current.a);
    current.pool = new pg.Pool({ connectionString: db.url, max: poolMax });
  });

  afterEach(async () => {
    await current.pool?.end();
    await current.a?.close();
    await db?.drop();
    dir?.cleanup();
  });

  return current;
}
