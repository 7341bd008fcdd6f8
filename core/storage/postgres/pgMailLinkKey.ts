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

/**
 * Make an embedded deployment's key the shared one (migrate-store), so the
 * links sealed before the move still open. 'kept': the database had another
 * key already, whose instances sealed links with it; the moved tickets'
 * later mails then go without a link.
 */
export async function adoptLinkKey(pool: pg.Pool, key: Buffer): Promise<'moved' | 'already there' | 'kept'> {
  const added = await pool.query('INSERT INTO mail_link_key (id, key) VALUES (1, $1) ON CONFLICT (id) DO NOTHING', [
    key,
  ]);
  if (added.rowCount) return 'moved';
  const { rows } = await pool.query<{ key: Buffer }>('SELECT key FROM mail_link_key WHERE id = 1');
  return rows[0]!.key.equals(key) ? 'already there' : 'kept';
}
