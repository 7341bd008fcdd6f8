import type pg from 'pg';
import type { QueueOrder } from '../ports.ts';
import type { Ticket } from '../../tickets/types.ts';

/** Keys (re)made per statement: one round trip each. */
const BATCH = 1000;

/**
 * Make the queue key (migration 0016) of every ticket the read's filter
 * matches (`where`, SQL over `params`, as the read's own) that is keyed under
 * another policy than `order`'s, or not keyed at all, so the read can order
 * and page in SQL. Only the tickets read are keyed: two instances serving two
 * policies for a moment (a snapshot being followed) re-key at most the queue
 * they read each, never the whole table. The rule stays in one place
 * (order.key, in this process). A row changed since it was read keeps what
 * its writer stored: the update is guarded by the row version, so an older
 * document never overwrites a newer key, and a key its writer made under
 * another policy is made again by the next read.
 */
export async function refreshQueueKeys(
  pool: pg.Pool,
  order: QueueOrder,
  where: string[] = [],
  params: unknown[] = [],
): Promise<number> {
  const n = params.length;
  const filter = where.map((w) => `${w} AND `).join('');
  let made = 0;
  // In id order from where the last batch stopped, so rows skipped as changed meanwhile do not loop.
  let after = '';
  for (;;) {
    // < and > rather than <>: both are index ranges (tickets_queue_policy).
    const { rows } = await pool.query<{ id: string; doc: Ticket; v: string }>(
      `SELECT id, doc, xmin::text AS v FROM tickets
        WHERE ${filter}id > $${n + 2} AND (queue_policy IS NULL OR queue_policy < $${n + 1} OR queue_policy > $${n + 1})
        ORDER BY id LIMIT ${BATCH}`,
      [...params, order.policy, after],
    );
    if (!rows.length) return made;
    after = rows[rows.length - 1]!.id;
    await pool.query(
      `UPDATE tickets t SET queue_key = u.k, queue_policy = $4
         FROM unnest($1::text[], $2::text[], $3::text[]) AS u(id, v, k)
        WHERE t.id = u.id AND t.xmin::text = u.v`,
      [rows.map((r) => r.id), rows.map((r) => r.v), rows.map((r) => order.key(r.doc)), order.policy],
    );
    made += rows.length;
    if (rows.length < BATCH) return made;
  }
}
