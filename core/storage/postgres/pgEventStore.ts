import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { DeflectEvent, NewEvent } from '../../events/types.ts';
import type { EventStore } from '../ports.ts';
import { transaction } from './transaction.ts';

const PAGE = 1000;

/**
 * The event log in PostgreSQL: an append resolves once its row is committed.
 * Rows keep the order they were appended in (`seq`); a rewrite (retention,
 * erasure) touches only the rows its readDay returned, so an event appended
 * meanwhile by any instance is kept.
 */
export class PgEventStore implements EventStore {
  /** Per day, the last seq readDay returned: the rows a rewriteDay may replace. */
  private readonly readUpTo = new Map<string, string>();

  constructor(private readonly pool: pg.Pool) {}

  async init(): Promise<void> {}

  async append(event: NewEvent): Promise<DeflectEvent> {
    const full = { id: randomUUID(), at: new Date().toISOString(), ...event } as DeflectEvent;
    await this.pool.query(
      'INSERT INTO events (id, at, day, type, conversation_id, doc) VALUES ($1, $2, $3, $4, $5, $6)',
      [full.id, full.at, full.at.slice(0, 10), full.type, full.conversationId, JSON.stringify(full)],
    );
    return full;
  }

  async *read(from?: string, to?: string): AsyncGenerator<DeflectEvent> {
    let after = '0';
    for (;;) {
      const { rows } = await this.pool.query<{ seq: string; doc: DeflectEvent }>(
        `SELECT seq, doc FROM events WHERE seq > $1 AND ($2::timestamptz IS NULL OR at >= $2) AND ($3::timestamptz IS NULL OR at < $3) ORDER BY seq LIMIT ${PAGE}`,
        [after, from ?? null, to ?? null],
      );
      for (const r of rows) yield r.doc;
      if (rows.length < PAGE) return;
      after = rows[rows.length - 1]!.seq;
    }
  }

  /** One conversation's events since an ISO time, in the order they were appended. */
  async readConversation(conversationId: string, since: string): Promise<DeflectEvent[]> {
    const { rows } = await this.pool.query<{ doc: DeflectEvent }>(
      'SELECT doc FROM events WHERE conversation_id = $1 AND at >= $2 ORDER BY seq',
      [conversationId, since],
    );
    return rows.map((r) => r.doc);
  }

  /**
   * A loose index scan over events_by_day: one index probe per distinct day.
   * SELECT DISTINCT read every row (seconds over 10 million events, on each
   * report and each retention run); this costs a few hundred probes.
   */
  async days(): Promise<string[]> {
    const { rows } = await this.pool.query<{ day: string }>(
      `WITH RECURSIVE d(day) AS (
         (SELECT day FROM events ORDER BY day LIMIT 1)
         UNION ALL
         SELECT (SELECT e.day FROM events e WHERE e.day > d.day ORDER BY e.day LIMIT 1) FROM d WHERE d.day IS NOT NULL
       )
       SELECT day FROM d WHERE day IS NOT NULL`,
    );
    return rows.map((r) => r.day);
  }

  async readDay(day: string): Promise<DeflectEvent[]> {
    const { rows } = await this.pool.query<{ seq: string; doc: DeflectEvent }>(
      'SELECT seq, doc FROM events WHERE day = $1 ORDER BY seq',
      [day],
    );
    if (rows.length) this.readUpTo.set(day, rows[rows.length - 1]!.seq);
    return rows.map((r) => r.doc);
  }

  /** Rewrites touch only the rows they read (see rewriteDay), so nothing needs holding back. */
  async exclusive<T>(fn: () => Promise<T>): Promise<T> {
    return fn();
  }

  async rewriteDay(day: string, events: DeflectEvent[]): Promise<void> {
    const upTo = this.readUpTo.get(day);
    if (upTo === undefined)
      throw new Error(`rewriteDay(${day}) without readDay first: which events to replace is unknown`);
    await transaction(this.pool, async (client) => {
      await client.query('DELETE FROM events WHERE day = $1 AND seq <= $2 AND NOT (id = ANY($3))', [
        day,
        upTo,
        events.map((e) => e.id),
      ]);
      await client.query(
        `UPDATE events e SET doc = x.doc, conversation_id = x.doc->>'conversationId', rev = nextval('event_rev')
           FROM jsonb_array_elements($2::jsonb) AS x(doc)
          WHERE e.day = $1 AND e.id = x.doc->>'id' AND e.doc IS DISTINCT FROM x.doc`,
        [day, JSON.stringify(events)],
      );
    });
  }

  async removeDay(day: string): Promise<void> {
    await this.pool.query('DELETE FROM events WHERE day = $1', [day]);
    this.readUpTo.delete(day);
  }

  async fingerprint(days: string[]): Promise<string> {
    const { rows } = await this.pool.query<{ day: string; n: string; seq: string; rev: string }>(
      'SELECT day, count(*) AS n, max(seq) AS seq, max(rev) AS rev FROM events WHERE day = ANY($1) GROUP BY day',
      [days],
    );
    const byDay = new Map(rows.map((r) => [r.day, `${r.n}:${r.seq}:${r.rev}`]));
    return days.map((d) => `${d}:${byDay.get(d) ?? '-'}`).join('|');
  }

  async close(): Promise<void> {}
}
