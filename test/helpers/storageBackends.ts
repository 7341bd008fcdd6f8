import type { Stores } from '../../core/storage/ports.ts';
import { openStores } from '../../core/storage/openStores.ts';
import { freshDatabase, freshRedisPrefix, postgresUnavailable, skipWhen } from './services.ts';
import { tempDir } from './tempDir.ts';

/**
 * Two "instances" of one deployment's stores. Embedded: one process owns the
 * data directory, so both are the same stores. PostgreSQL: two separately
 * opened sets (own pools, migrations run by both at once) on one fresh
 * database, so a case passes only if what one writes the other reads.
 */
export interface StorePair {
  a: Stores;
  b: Stores;
  /** Each instance's DATA_DIR (the same folder for the embedded stores). */
  dataDirs: { a: string; b: string };
  /** The database both instances use (PostgreSQL only). */
  databaseUrl?: string;
  close(): Promise<void>;
}

export interface StorageBackend {
  name: 'embedded' | 'postgres';
  /** Null when it can run here, else the reason it is skipped. */
  unavailable(): Promise<string | null>;
  open(): Promise<StorePair>;
}

const bot = { stateTtlDays: 30 };

export const storageBackends: StorageBackend[] = [
  {
    name: 'embedded',
    unavailable: async () => null,
    async open() {
      const tmp = tempDir();
      const stores = await openStores({ dataDir: tmp.dir, bot });
      return {
        a: stores,
        b: stores,
        dataDirs: { a: tmp.dir, b: tmp.dir },
        async close() {
          await stores.close();
          tmp.cleanup();
        },
      };
    },
  },
  {
    name: 'postgres',
    unavailable: postgresUnavailable,
    async open() {
      const db = await freshDatabase();
      const storage = { databaseUrl: db.url, redisKeyPrefix: freshRedisPrefix().prefix };
      const dirs = [tempDir(), tempDir()];
      const [a, b] = await Promise.all(dirs.map((d) => openStores({ dataDir: d.dir, bot, storage })));
      return {
        a: a!,
        b: b!,
        dataDirs: { a: dirs[0]!.dir, b: dirs[1]!.dir },
        databaseUrl: db.url,
        async close() {
          await Promise.all([a!.close(), b!.close()]);
          await db.drop();
          for (const d of dirs) d.cleanup();
        },
      };
    },
  },
];

/**
 * The same cases against every storage backend: `cases` receives a getter
 * for the current test's pair of instances, opened before and closed after
 * each test. A backend whose server is unreachable is skipped with its reason printed.
 */
export function describeStorageContract(title: string, cases: (pair: () => StorePair) => void): void {
  for (const backend of storageBackends) {
    describe(`${title} (${backend.name})`, function () {
      let pair: StorePair | undefined;
      before(async function () {
        const reason = await backend.unavailable();
        skipWhen(reason, this);
      });
      beforeEach(async () => {
        pair = await backend.open();
      });
      afterEach(async () => {
        await pair?.close();
        pair = undefined;
      });
      cases(() => pair!);
    });
  }
}

/** PostgreSQL stores beside embedded ones, for a suite comparing what SQL counts with the in-process scan. */
export interface SqlBesideScan {
  pg: Stores;
  embedded: Stores;
  /** Their DATA_DIRs: PostgreSQL's first. */
  dirs: [string, string];
  databaseUrl: string;
  close(): Promise<void>;
}

/**
 * Open both sets of stores on a fresh database and two fresh folders, in a
 * suite's `before`; the suite is skipped with its reason printed when
 * PostgreSQL is unreachable.
 */
export async function openSqlBesideScan(suite: Mocha.Context): Promise<SqlBesideScan> {
  const reason = await postgresUnavailable();
  skipWhen(reason, suite);
  const db = await freshDatabase();
  const dirs = [tempDir(), tempDir()] as const;
  const pg = await openStores({
    dataDir: dirs[0].dir,
    bot,
    storage: { databaseUrl: db.url, redisKeyPrefix: 'unused:' },
  });
  const embedded = await openStores({ dataDir: dirs[1].dir, bot });
  return {
    pg,
    embedded,
    dirs: [dirs[0].dir, dirs[1].dir],
    databaseUrl: db.url,
    async close() {
      await pg.close();
      await embedded.close();
      await db.drop();
      for (const d of dirs) d.cleanup();
    },
  };
}
