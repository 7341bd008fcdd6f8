import type pg from 'pg';
import type { DeflectEvent } from '../../events/types.ts';
import { ticketFacts } from '../../reports/ticketFacts.ts';
import type { Ticket } from '../../tickets/types.ts';
import { storeTicketFacts } from './packedTicketFacts.ts';
import { transaction } from './transaction.ts';

/** Rows per statement: large enough to move millions of events quickly, small enough for one round trip. */
const BATCH = 1000;

/** What one import step did: rows written, and rows the database already held. */
export interface ImportCount {
  moved: number;
  /** Already in the database with a newer or equal copy: left as they are. */
  alreadyThere: number;
  /** Already there but older than the embedded copy (the embedded server ran on after an earlier move): replaced. */
  refreshed?: number;
}

/** A ticket id in the database that belongs to another ticket (another creation time): moving would lose one of them. */
export interface TicketClash {
  id: string;
  embeddedCreatedAt: string;
  databaseCreatedAt: string;
}

/**
 * Writes records taken from the embedded stores into the PostgreSQL schema,
 * keeping their ids, so that running it again inserts nothing twice: events
 * by their id, tickets by theirs (same id and creation time = the same
 * ticket), channel state by key. Each batch is one transaction, so an
 * interrupted import leaves whole batches and the next run adds the rest.
 */
export class PgImport {
  constructor(private readonly pool: pg.Pool) {}

  /** The tickets whose id the database already gives to a different ticket. */
  async ticketClashes(tickets: Ticket[]): Promise<TicketClash[]> {
    const byId = new Map(tickets.map((t) => [t.id, t]));
    const { rows } = await this.pool.query<{ id: string; created: string }>(
      "SELECT id, doc->>'createdAt' AS created FROM tickets WHERE id = ANY($1)",
      [[...byId.keys()]],
    );
    return rows
      .filter((r) => byId.get(r.id)!.createdAt !== r.created)
      .map((r) => ({ id: r.id, embeddedCreatedAt: byId.get(r.id)!.createdAt, databaseCreatedAt: r.created }));
  }

  /**
   * Insert the tickets with their ids, and move the id sequence to
   * `highest` first (never back), so a ticket created afterwards, even
   * during an interrupted import, gets a fresh id.
   */
  async tickets(tickets: Ticket[], highest: number): Promise<ImportCount> {
    if (highest > 0)
      await this.pool.query(
        `SELECT setval('ticket_seq', $1) FROM pg_sequences
          WHERE schemaname = current_schema() AND sequencename = 'ticket_seq' AND coalesce(last_value, 0) < $1`,
        [highest],
      );
    const count = { moved: 0, alreadyThere: 0, refreshed: 0 };
    for (let i = 0; i < tickets.length; i += BATCH) {
      const batch = tickets.slice(i, i + BATCH);
      const rows = await transaction(this.pool, (client) => writeTickets(client, batch));
      const inserted = rows.filter((r) => r.inserted).length;
      count.moved += inserted;
      count.refreshed += rows.length - inserted;
      count.alreadyThere += batch.length - rows.length;
    }
    return count;
  }

  /** Insert one day's events in their order; events already there (same id) are skipped. */
  async events(day: string, events: DeflectEvent[]): Promise<ImportCount> {
    const count = { moved: 0, alreadyThere: 0 };
    for (let i = 0; i < events.length; i += BATCH) {
      const batch = events.slice(i, i + BATCH);
      // ORDER BY the position in the file: seq, the order every reader follows, is given in that order.
      const { rowCount } = await this.pool.query(
        `INSERT INTO events (id, at, day, type, conversation_id, doc)
         SELECT x.doc->>'id', (x.doc->>'at')::timestamptz, $2, x.doc->>'type', x.doc->>'conversationId', x.doc
           FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS x(doc, n)
          ORDER BY x.n
         ON CONFLICT (id) DO NOTHING`,
        [JSON.stringify(batch), day],
      );
      count.moved += rowCount ?? 0;
      count.alreadyThere += batch.length - (rowCount ?? 0);
    }
    return count;
  }

  /** Insert the channels' state with its age; an entry the database holds with a later change is kept. */
  async channelState(entries: { key: string; value: unknown; updatedAt: string }[]): Promise<ImportCount> {
    const count = { moved: 0, alreadyThere: 0, refreshed: 0 };
    for (let i = 0; i < entries.length; i += BATCH) {
      const batch = entries.slice(i, i + BATCH);
      const { rows } = await this.pool.query<{ inserted: boolean }>(
        `INSERT INTO channel_state (key, value, etag, updated_at)
           SELECT x.e->>'key', x.e->'value', nextval('channel_state_etag'), (x.e->>'updatedAt')::timestamptz
             FROM jsonb_array_elements($1::jsonb) AS x(e)
           ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, etag = EXCLUDED.etag, updated_at = EXCLUDED.updated_at
            WHERE channel_state.updated_at < EXCLUDED.updated_at
           RETURNING (xmax = 0) AS inserted`,
        [JSON.stringify(batch)],
      );
      const inserted = rows.filter((r) => r.inserted).length;
      count.moved += inserted;
      count.refreshed += rows.length - inserted;
      count.alreadyThere += batch.length - rows.length;
    }
    return count;
  }
}

/**
 * One batch of tickets written, with their report facts (migrations 0011,
 * 0015) made from the tickets in hand and taken off the facts queue in the
 * same transaction: the first tickets report after an import of millions
 * of events then reads facts instead of re-reading every document.
 */
async function writeTickets(client: pg.PoolClient, batch: Ticket[]): Promise<Array<{ inserted: boolean }>> {
  const { rows } = await client.query<{ id: string; v: string; inserted: boolean }>(
    `INSERT INTO tickets (id, seq, status, channel, lang, tags, created_at, updated_at, doc, team, priority, type, category)
       SELECT x.doc->>'id', (x.doc->>'seq')::bigint, x.doc->>'status', x.doc->>'channel', x.doc->>'lang',
              ARRAY(SELECT jsonb_array_elements_text(coalesce(x.doc->'tags', '[]'))),
              (x.doc->>'createdAt')::timestamptz, (x.doc->>'updatedAt')::timestamptz, x.doc - 'seq',
              x.doc->>'team', x.doc->>'priority', x.doc->>'type', x.doc->>'category'
         FROM jsonb_array_elements($1::jsonb) AS x(doc)
       ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, channel = EXCLUDED.channel, lang = EXCLUDED.lang,
              tags = EXCLUDED.tags, updated_at = EXCLUDED.updated_at, doc = EXCLUDED.doc,
              team = EXCLUDED.team, priority = EXCLUDED.priority, type = EXCLUDED.type, category = EXCLUDED.category
        WHERE tickets.doc->>'createdAt' = EXCLUDED.doc->>'createdAt' AND tickets.updated_at < EXCLUDED.updated_at
       RETURNING id, xmin::text AS v, (xmax = 0) AS inserted`,
    [JSON.stringify(batch.map((t) => ({ ...t, seq: numberOf(t.id) })))],
  );
  if (!rows.length) return rows;
  const byId = new Map(batch.map((t) => [t.id, t]));
  await storeTicketFacts(
    client,
    rows.map((r) => ticketFacts(byId.get(r.id)!)),
    rows.map((r) => r.v),
  );
  // The written rows are held until commit: a later write waits for it, then queues its ticket again.
  await client.query('DELETE FROM ticket_facts_due WHERE id = ANY($1)', [rows.map((r) => r.id)]);
  return rows;
}

/** T-000042 → 42; the embedded store's ids are always `T-` and digits. */
export function numberOf(id: string): number {
  const m = /^T-(\d+)$/.exec(id);
  if (!m) throw new Error(`ticket id ${JSON.stringify(id)} is not T-<digits>: cannot keep it`);
  return Number(m[1]);
}
