import type pg from 'pg';
import { TICKET_FACTS_VERSION, type PackedFacts, type TicketFacts } from '../../reports/ticketFacts.ts';

/**
 * One ticket's facts as ticket_facts stores them since migration 0017: a
 * positional JSON array, times relative to creation, absent values null:
 *
 *   [id, createdMs, firstResponse - created, solved - created, status,
 *    [at - created, status, at - created, status, …], publicReplies,
 *    rating, priority, plan, category, type, priority key, team, channel, agent]
 *
 * Half the bytes of the keyed object (no key names, short numbers), so a
 * process's first report receives and parses half as much. Migration 0017
 * packs the rows stored before it in SQL, in this same order; a row still
 * holding the keyed object (written by an older instance meanwhile) is read
 * as it is. A reader writes either into its columns (TicketColumns.setPacked,
 * .set) without making the keyed object from the packed one.
 */
export type { PackedFacts };

/** The stored form of one ticket's facts. */
export function packFacts(f: TicketFacts): PackedFacts {
  const c = f.createdMs;
  const history: PackedFacts[5] = [];
  for (const [ms, status] of f.history) history.push(ms - c, status);
  const k = f.keys;
  return [
    f.id,
    c,
    f.firstResponseMs === undefined ? null : f.firstResponseMs - c,
    f.solvedMs === undefined ? null : f.solvedMs - c,
    f.status,
    history,
    f.publicReplies,
    f.rating ?? null,
    f.priority ?? null,
    f.plan ?? null,
    k.category,
    k.type,
    k.priority,
    k.team,
    k.channel,
    k.agent,
  ];
}

const UNSOLVED = new Set(['open', 'pending', 'on_hold']);

/** The latest instant a figure of the ticket can be counted at, once it is solved or closed (an unsolved one is always read). */
export function lastMs(f: TicketFacts): number {
  return Math.max(f.createdMs, f.firstResponseMs ?? 0, f.solvedMs ?? 0, ...f.history.map(([ms]) => ms));
}

/** Upsert the facts made from the given ticket row versions (xmin), packed (packFacts): the one writer of ticket_facts rows. */
export async function storeTicketFacts(client: pg.PoolClient, facts: TicketFacts[], versions: string[]): Promise<void> {
  await client.query(
    `INSERT INTO ticket_facts (id, row_version, facts_version, created_ms, last_ms, unsolved, facts)
     SELECT u.id, u.v, $7, u.c, u.l, u.o, e.f
       FROM unnest($1::text[], $2::text[], $3::float8[], $4::float8[], $5::bool[]) WITH ORDINALITY AS u(id, v, c, l, o, i)
       JOIN json_array_elements($6::json) WITH ORDINALITY AS e(f, i) USING (i)
     ON CONFLICT (id) DO UPDATE SET row_version = EXCLUDED.row_version, facts_version = EXCLUDED.facts_version,
            created_ms = EXCLUDED.created_ms, last_ms = EXCLUDED.last_ms, unsolved = EXCLUDED.unsolved, facts = EXCLUDED.facts`,
    [
      facts.map((f) => f.id),
      versions,
      facts.map((f) => f.createdMs),
      facts.map(lastMs),
      facts.map((f) => UNSOLVED.has(f.status)),
      // One JSON text, not a text[] of them: the driver escapes every quote of an array's strings, as much work again.
      JSON.stringify(facts.map(packFacts)),
      TICKET_FACTS_VERSION,
    ],
  );
}
