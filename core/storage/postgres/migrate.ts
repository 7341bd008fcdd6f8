import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { log } from '../../logger.ts';
import { withClient } from './transaction.ts';

/** The versioned SQL files, `NNNN_name.sql`, applied in order. */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../../migrations/postgres/', import.meta.url));

/** Any fixed number: the advisory lock every Deflect instance takes to migrate. */
const MIGRATION_LOCK = 0x0def1ec7;

/**
 * Bring the database's schema up to date. Instances starting together queue
 * on one advisory lock, so each file runs once; each file runs in its own
 * transaction with its version row, so a failed file leaves no trace and is
 * retried at the next start. Resolves with the versions it applied.
 */
export async function migrate(pool: pg.Pool, dir = MIGRATIONS_DIR): Promise<number[]> {
  const files = (await fs.readdir(dir)).filter((f) => /^\d{4}_[\w-]+\.sql$/.test(f)).sort();
  // Through withClient: a connection lost mid-migration is heard (not a crash) and never reused.
  return withClient(pool, async (client, discard) => {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await client.query(
        'CREATE TABLE IF NOT EXISTS deflect_migrations (version int PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())',
      );
      const done = new Set(
        (await client.query<{ version: number }>('SELECT version FROM deflect_migrations')).rows.map((r) => r.version),
      );
      const applied: number[] = [];
      for (const file of files) {
        const version = Number(file.slice(0, 4));
        if (done.has(version)) continue;
        const sql = await fs.readFile(path.join(dir, file), 'utf8');
        await client.query('BEGIN');
        try {
          await client.query(sql);
          await client.query('INSERT INTO deflect_migrations (version, name) VALUES ($1, $2)', [version, file]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK').catch(discard);
          throw new Error(`migration ${file} failed: ${(error as Error).message}`, { cause: error });
        }
        applied.push(version);
        log.info('storage', 'applied a database migration', { file });
      }
      return applied;
    } finally {
      // A lost connection has released the lock already; withClient then closes it.
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(discard);
    }
  });
}
