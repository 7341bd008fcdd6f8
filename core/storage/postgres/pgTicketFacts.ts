import type pg from 'pg';
import { TICKET_FACTS_VERSION, ticketFacts, type TicketFacts } from '../../reports/ticketFacts.ts';
import type { Ticket } from '../../tickets/types.ts';

/** Facts (re)made per statement: one round trip each. */
const BATCH = 1000;
const UNSOLVED = new Set(['open', 'pending', 'on_hold']);

/**
 * The tickets report's facts of the tickets a period can count (migration
 * 0011): first the facts of tickets written since they were last made are
 * made again from their documents, then the period's rows are read. The
 * rule that derives facts stays in one place (ticketFacts), in this process.
 */
export async function readTicketFacts(pool: pg.Pool, from: string, to: string): Promise<TicketFacts[]> {
  await refresh(pool);
  // One JSON array as one text value: a single parse here costs a fraction of a row (and a parse) per ticket.
  const { rows } = await pool.query<{ list: string }>(
    `SELECT '[' || coalesce(string_agg(facts::text, ','), '') || ']' AS list
       FROM ticket_facts WHERE created_ms < $2 AND (last_ms >= $1 OR unsolved)`,
    [Date.parse(from), Date.parse(to)],
  );
  return JSON.parse(rows[0]!.list) as TicketFacts[];
}

/** Make the facts of every ticket whose row changed since its facts were made (or that has none). */
export async function refresh(pool: pg.Pool): Promise<number> {
  let made = 0;
  // In id order, from where the last batch stopped: each batch is an index range, however many are stale.
  let after = '';
  for (;;) {
    const { rows } = await pool.query<{ id: string; doc: Ticket; v: string }>(
      `SELECT t.id, t.doc, t.xmin::text AS v FROM tickets t LEFT JOIN ticket_facts f ON f.id = t.id
        WHERE t.id > $2 AND (f.id IS NULL OR f.row_version <> t.xmin::text OR f.facts_version <> $1)
        ORDER BY t.id LIMIT ${BATCH}`,
      [TICKET_FACTS_VERSION, after],
    );
    if (!rows.length) return made;
    after = rows[rows.length - 1]!.id;
    const facts = rows.map((r) => ticketFacts(r.doc));
    // Joined to tickets: a ticket deleted meanwhile is skipped, not a foreign-key error.
    await pool.query(
      `INSERT INTO ticket_facts (id, row_version, facts_version, created_ms, last_ms, unsolved, facts)
       SELECT u.id, u.v, $7, u.c, u.l, u.o, u.f::json
         FROM unnest($1::text[], $2::text[], $3::float8[], $4::float8[], $5::bool[], $6::text[]) AS u(id, v, c, l, o, f)
         JOIN tickets t ON t.id = u.id
       ON CONFLICT (id) DO UPDATE SET row_version = EXCLUDED.row_version, facts_version = EXCLUDED.facts_version,
              created_ms = EXCLUDED.created_ms, last_ms = EXCLUDED.last_ms, unsolved = EXCLUDED.unsolved, facts = EXCLUDED.facts`,
      [
        facts.map((f) => f.id),
        rows.map((r) => r.v),
        facts.map((f) => f.createdMs),
        facts.map(lastMs),
        facts.map((f) => UNSOLVED.has(f.status)),
        facts.map((f) => JSON.stringify(f)),
        TICKET_FACTS_VERSION,
      ],
    );
    made += rows.length;
    if (rows.length < BATCH) return made;
  }
}

/** The latest instant a figure of the ticket can be counted at, once it is solved or closed (an unsolved one is always read). */
function lastMs(f: TicketFacts): number {
  return Math.max(f.createdMs, f.firstResponseMs ?? 0, f.solvedMs ?? 0, ...f.history.map(([ms]) => ms));
}
