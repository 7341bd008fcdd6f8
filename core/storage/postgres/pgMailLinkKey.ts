import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { LINK_KEY_BYTES } from '../mailLinkKey.ts';

/**
 * The shared mail link key (migration 0008): the first instance to need it
 * inserts one, and every instance reads the row that won, so links sealed on
 * one instance open on all. MAIL_LINK_SECRET, when set, is used instead and
 * keeps the key out of the database.
 */
export function pgLinkKey(pool: pg.Pool): () => Promise<Buffer> {
  let key: Promise<Buffer> | undefined;
  return () =>
    (key ??= (async () => {
      await pool.query('INSERT INTO mail_link_key (id, key) VALUES (1, $1) ON CONFLICT (id) DO NOTHING', [
        randomBytes(LINK_KEY_BYTES),
      ]);
      const { rows } = await pool.query<{ key: Buffer }>('SELECT key FROM mail_link_key WHERE id = 1');
      return rows[0]!.key;
    })().catch((error: unknown) => {
      key = undefined;
      throw error;
    }));
}
