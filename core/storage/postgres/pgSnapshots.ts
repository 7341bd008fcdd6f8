import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import { packSnapshot, unpackSnapshot } from '../../indexing/snapshotArchive.ts';
import {
  currentSnapshotDir,
  describeSnapshot,
  FILES,
  indexRoot,
  SNAPSHOT_NAME,
  switchCurrent,
} from '../../indexing/snapshot.ts';
import { log } from '../../logger.ts';
import type { FollowOptions, PublishedSnapshot, SnapshotPublication } from '../ports.ts';
import { listen } from './listen.ts';
import { transaction, withClient } from './transaction.ts';

/** The channel a publication notifies, its payload the snapshot's id. */
export const SNAPSHOT_CHANNEL = 'deflect_snapshots';
/** Any fixed number other than the migrations' lock: the instance that builds the first snapshot holds it. */
const BUILD_LOCK = 0x0def1ec8;
/** Stored in pieces: no single value near bytea's 1 GB limit, and a download can be read piece by piece. */
const CHUNK_BYTES = 4 * 1024 * 1024;
/** Snapshots kept in the database: the current one and a few before it (rollback, followers still downloading). */
const KEEP = 3;
const DEFAULT_POLL_MS = 5000;

interface SnapshotRow {
  id: string;
  revision: string;
  published_at: Date;
}

/**
 * Snapshots published in PostgreSQL (migration 0003): a publisher uploads
 * the folder it built as a chunked archive and switches the one-row pointer
 * in the same transaction, which notifies `deflect_snapshots`. Each instance
 * listens on its own connection and also polls, downloads a new snapshot
 * into its own DATA_DIR/index and switches its local CURRENT, so it loads
 * from local files exactly as the embedded mode does.
 */
export class PgSnapshots implements SnapshotPublication {
  readonly kind = 'postgres';
  constructor(
    private readonly pool: pg.Pool,
    private readonly url: string,
    private readonly dataDir: string,
  ) {}

  async publish(dir: string): Promise<PublishedSnapshot> {
    const id = path.basename(dir);
    if (!SNAPSHOT_NAME.test(id)) throw new Error(`'${id}' is not a snapshot folder`);
    const info = await describeSnapshot(dir);
    const started = performance.now();
    const { archive, sha256 } = await packSnapshot(dir);
    const chunks = Math.max(1, Math.ceil(archive.byteLength / CHUNK_BYTES));
    const publishedAt = await transaction(this.pool, async (c) => {
      // Publishing an id already stored (a rollback) only moves the pointer.
      const inserted = await c.query<{ published_at: Date }>(
        `INSERT INTO snapshots (id, revision, bytes, chunks, sha256) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (id) DO NOTHING RETURNING published_at`,
        [id, info.revision, archive.byteLength, chunks, sha256],
      );
      if (inserted.rowCount)
        for (let i = 0; i < chunks; i++)
          await c.query('INSERT INTO snapshot_chunks (snapshot_id, seq, data) VALUES ($1, $2, $3)', [
            id,
            i,
            archive.subarray(i * CHUNK_BYTES, (i + 1) * CHUNK_BYTES),
          ]);
      await c.query(
        `INSERT INTO current_snapshot (singleton, snapshot_id) VALUES (true, $1)
         ON CONFLICT (singleton) DO UPDATE SET snapshot_id = EXCLUDED.snapshot_id, updated_at = now()`,
        [id],
      );
      await c.query(
        `DELETE FROM snapshots WHERE id <> $1 AND id NOT IN (SELECT id FROM snapshots ORDER BY seq DESC LIMIT $2)`,
        [id, KEEP],
      );
      // Delivered to every listener when this transaction commits, not before.
      await c.query('SELECT pg_notify($1, $2)', [SNAPSHOT_CHANNEL, id]);
      const row = await c.query<{ published_at: Date }>('SELECT published_at FROM snapshots WHERE id = $1', [id]);
      return row.rows[0]!.published_at;
    });
    // This instance serves it too, when it was built here.
    if (path.resolve(path.dirname(dir)) === path.resolve(indexRoot(this.dataDir))) await this.point(id);
    log.info('index', 'published an index snapshot to postgres', {
      id,
      revision: info.revision,
      bytes: archive.byteLength,
      chunks,
      ms: Math.round(performance.now() - started),
    });
    return { ...info, publishedAt: publishedAt.toISOString() };
  }

  async current(): Promise<PublishedSnapshot | null> {
    const { rows } = await this.pool.query<SnapshotRow>(
      'SELECT s.id, s.revision, s.published_at FROM current_snapshot c JOIN snapshots s ON s.id = c.snapshot_id',
    );
    return rows[0] ? toPublished(rows[0]) : null;
  }

  async kept(): Promise<PublishedSnapshot[]> {
    const { rows } = await this.pool.query<SnapshotRow>(
      'SELECT id, revision, published_at FROM snapshots ORDER BY seq DESC',
    );
    return rows.map(toPublished);
  }

  async pull(): Promise<string | null> {
    const started = performance.now();
    // One snapshot of the database: a publication pruning the current archive meanwhile cannot tear the download.
    const fetched = await transaction(this.pool, async (c) => {
      await c.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const { rows } = await c.query<{ id: string; chunks: number; sha256: string }>(
        'SELECT s.id, s.chunks, s.sha256 FROM current_snapshot c JOIN snapshots s ON s.id = c.snapshot_id',
      );
      const row = rows[0];
      if (!row) return null;
      if (existsSync(path.join(this.folderOf(row.id), FILES.manifest))) return { id: row.id, archive: null };
      const parts: Buffer[] = [];
      for (let i = 0; i < row.chunks; i++) {
        const part = await c.query<{ data: Buffer }>(
          'SELECT data FROM snapshot_chunks WHERE snapshot_id = $1 AND seq = $2',
          [row.id, i],
        );
        if (!part.rows[0]) throw new Error(`snapshot ${row.id} is missing its part ${i}`);
        parts.push(part.rows[0].data);
      }
      return { id: row.id, archive: Buffer.concat(parts), sha256: row.sha256 };
    });
    if (!fetched) return null;
    if (fetched.archive) {
      const downloaded = performance.now();
      await this.unpack(fetched.id, fetched.archive, fetched.sha256);
      log.info('index', 'downloaded the published index snapshot', {
        id: fetched.id,
        bytes: fetched.archive.byteLength,
        ms: Math.round(performance.now() - started),
        // Apart, to tell a slow database from a slow disk.
        downloadMs: Math.round(downloaded - started),
        unpackMs: Math.round(performance.now() - downloaded),
      });
    }
    await this.point(fetched.id);
    return this.folderOf(fetched.id);
  }

  follow(initial: string | null, onChange: (dir: string) => Promise<void>, options: FollowOptions = {}) {
    let served = initial;
    let refused: string | null = null;
    let running: Promise<void> | null = null;
    let again = false;
    let failing = false;
    const check = (): Promise<void> => {
      if (running) {
        again = true;
        return running;
      }
      running = (async () => {
        do {
          again = false;
          try {
            const dir = await this.pull();
            failing = false;
            if (dir && dir !== served && dir !== refused) {
              await onChange(dir).catch((error: unknown) => {
                // Unloadable here (another embedder, a damaged file): keep serving the old one until the next publication.
                refused = dir;
                log.error('index', 'could not load the published index snapshot; still serving the previous one', {
                  snapshot: path.basename(dir),
                  error,
                });
              });
              if (refused !== dir) served = dir;
            }
          } catch (error) {
            // The next notification or poll retries; say so once, not every few seconds.
            if (!failing) log.warn('index', 'could not fetch the published index snapshot; will retry', { error });
            failing = true;
          }
        } while (again);
      })().finally(() => (running = null));
      return running;
    };
    const timer = setInterval(() => void check(), options.pollMs ?? DEFAULT_POLL_MS);
    timer.unref();
    const listener =
      options.listen === false
        ? null
        : listen(
            this.url,
            SNAPSHOT_CHANNEL,
            () => void check(),
            () => void check(),
          );
    return async () => {
      clearInterval(timer);
      await listener?.close();
      await running;
    };
  }

  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    return withClient(this.pool, async (client, discard) => {
      await client.query('SELECT pg_advisory_lock($1)', [BUILD_LOCK]);
      try {
        return await fn();
      } finally {
        // A lost connection has released the lock already; the pool must not reuse it.
        await client.query('SELECT pg_advisory_unlock($1)', [BUILD_LOCK]).catch(discard);
      }
    });
  }

  private folderOf(id: string): string {
    if (!SNAPSHOT_NAME.test(id)) throw new Error(`the database names '${id}', which is not a snapshot`);
    return path.join(indexRoot(this.dataDir), id);
  }

  /** Unpack beside the snapshots, then rename: a folder under its final name is always complete. */
  private async unpack(id: string, archive: Buffer, sha256?: string): Promise<void> {
    const building = path.join(indexRoot(this.dataDir), `.building-pull-${id}-${process.pid}`);
    await fs.rm(building, { recursive: true, force: true });
    await fs.mkdir(indexRoot(this.dataDir), { recursive: true });
    await unpackSnapshot(archive, building, sha256);
    await fs.rename(building, this.folderOf(id)).catch(async (error: NodeJS.ErrnoException) => {
      // Another process sharing this DATA_DIR (the indexer) put it there first: theirs is as good.
      if (!existsSync(path.join(this.folderOf(id), FILES.manifest))) throw error;
      await fs.rm(building, { recursive: true, force: true });
    });
  }

  private async point(id: string): Promise<void> {
    if ((await currentSnapshotDir(this.dataDir).catch(() => null)) !== this.folderOf(id))
      await switchCurrent(this.dataDir, id);
  }
}

function toPublished(row: SnapshotRow): PublishedSnapshot {
  return { id: row.id, revision: row.revision, publishedAt: row.published_at.toISOString() };
}
