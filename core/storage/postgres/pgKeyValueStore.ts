import type pg from 'pg';
import { ETagConflictError } from '../keyValueStore.ts';
import type { KeyValueChange, KeyValueRepository } from '../ports.ts';
import { transaction } from './transaction.ts';

/**
 * The channels' state in PostgreSQL with botbuilder's eTag rules: a write
 * naming an eTag succeeds only while the row still has it (checked and
 * written in one statement, so two instances cannot both win); a missing or
 * expired entry accepts any write. Entries idle longer than the TTL read as
 * missing and are purged at open.
 */
export class PgKeyValueStore<T> implements KeyValueRepository<T> {
  private constructor(
    private readonly pool: pg.Pool,
    private readonly ttlMs: number,
  ) {}

  static async open<T>(pool: pg.Pool, options: { ttlDays: number }): Promise<PgKeyValueStore<T>> {
    const store = new PgKeyValueStore<T>(pool, options.ttlDays * 86_400_000);
    await pool.query('DELETE FROM channel_state WHERE updated_at < $1', [store.cutoff()]);
    return store;
  }

  async get(key: string): Promise<{ value: T; eTag: string } | undefined> {
    const { rows } = await this.pool.query<{ value: T; etag: string }>(
      'SELECT value, etag FROM channel_state WHERE key = $1 AND updated_at >= $2',
      [key, this.cutoff()],
    );
    return rows[0] ? { value: rows[0].value, eTag: String(rows[0].etag) } : undefined;
  }

  async put(changes: KeyValueChange<T>[]): Promise<Record<string, string>> {
    const cutoff = this.cutoff();
    return transaction(this.pool, async (client) => {
      const eTags: Record<string, string> = {};
      for (const c of changes) {
        const value = JSON.stringify(c.value);
        let written;
        if (c.ifMatch && c.ifMatch !== '*') {
          written = await client.query<{ etag: string }>(
            `UPDATE channel_state SET value = $2, etag = nextval('channel_state_etag'), updated_at = now()
              WHERE key = $1 AND (etag::text = $3 OR updated_at < $4) RETURNING etag`,
            [c.key, value, c.ifMatch, cutoff],
          );
          if (!written.rowCount)
            written = await client.query<{ etag: string }>(
              `INSERT INTO channel_state (key, value, etag) VALUES ($1, $2, nextval('channel_state_etag')) ON CONFLICT (key) DO NOTHING RETURNING etag`,
              [c.key, value],
            );
          // The row exists with another eTag: another writer was first. The transaction rolls back every change.
          if (!written.rowCount) throw new ETagConflictError(c.key);
        } else {
          written = await client.query<{ etag: string }>(
            `INSERT INTO channel_state (key, value, etag) VALUES ($1, $2, nextval('channel_state_etag'))
             ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, etag = EXCLUDED.etag, updated_at = now() RETURNING etag`,
            [c.key, value],
          );
        }
        eTags[c.key] = String(written.rows[0]!.etag);
      }
      return eTags;
    });
  }

  async delete(keys: string[]): Promise<void> {
    if (keys.length) await this.pool.query('DELETE FROM channel_state WHERE key = ANY($1)', [keys]);
  }

  async eraseWhere(match: (key: string, value: T) => boolean): Promise<number> {
    const { rows } = await this.pool.query<{ key: string; value: T }>('SELECT key, value FROM channel_state');
    const keys = rows.filter((r) => match(r.key, r.value)).map((r) => r.key);
    await this.delete(keys);
    return keys.length;
  }

  private cutoff(): string {
    return new Date(Date.now() - this.ttlMs).toISOString();
  }
}
