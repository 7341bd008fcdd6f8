import type pg from 'pg';
import { NotFoundError } from '../../errors.ts';
import type { Ticket } from '../../tickets/types.ts';
import type { TicketDraft, TicketPage, TicketQuery, TicketRepository } from '../ports.ts';
import { transaction } from './transaction.ts';

/**
 * Tickets in PostgreSQL. Numbers come from one sequence, so two instances
 * never give the same id; an update locks its row, so concurrent changes
 * from different instances apply one after the other.
 */
export class PgTicketStore implements TicketRepository {
  constructor(private readonly pool: pg.Pool) {}

  async create(draft: TicketDraft): Promise<Ticket> {
    const { rows } = await this.pool.query<{ n: string }>("SELECT nextval('ticket_seq') AS n");
    const seq = rows[0]!.n;
    const now = new Date().toISOString();
    const ticket: Ticket = {
      tags: [],
      notes: [],
      ...draft,
      messages: draft.messages ?? [],
      id: `T-${seq.padStart(6, '0')}`,
      status: 'open',
      createdAt: now,
      updatedAt: now,
    };
    await this.pool.query(
      'INSERT INTO tickets (id, seq, status, channel, lang, tags, created_at, updated_at, doc, team, priority, type, category) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)',
      [ticket.id, seq, ...columnsOf(ticket)],
    );
    return ticket;
  }

  async get(id: string): Promise<Ticket> {
    const { rows } = await this.pool.query<{ doc: Ticket }>('SELECT doc FROM tickets WHERE id = $1', [id]);
    if (!rows[0]) throw new NotFoundError('ticket', id);
    return rows[0].doc;
  }

  async list(q: TicketQuery = {}): Promise<TicketPage> {
    const pageSize = q.pageSize ?? 50;
    const page = q.page ?? 1;
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (q.status) add('status = ?', q.status);
    if (q.tag) add('? = ANY(tags)', q.tag);
    if (q.lang) add('lang = ?', q.lang);
    if (q.channel) add('channel = ?', q.channel);
    if (q.from) add('created_at >= ?', q.from);
    if (q.to) add('created_at < ?', q.to);
    if (q.verifiedUserId) add("doc->>'verifiedUserId' = ?", q.verifiedUserId);
    if (q.updatedBefore) add('updated_at < ?', q.updatedBefore);
    if (q.team) add('team = ?', q.team);
    if (q.priority) add('priority = ?', q.priority);
    if (q.type) add('type = ?', q.type);
    if (q.category) add('lower(category) = lower(?)', q.category);
    const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const [found, count] = await Promise.all([
      this.pool.query<{ doc: Ticket }>(
        `SELECT doc FROM tickets ${filter} ORDER BY created_at DESC, seq DESC LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`,
        params,
      ),
      this.pool.query<{ n: string }>(`SELECT count(*) AS n FROM tickets ${filter}`, params),
    ]);
    return { tickets: found.rows.map((r) => r.doc), total: Number(count.rows[0]!.n), page, pageSize };
  }

  async update(id: string, change: (t: Ticket) => unknown): Promise<Ticket> {
    return transaction(this.pool, async (client) => {
      const { rows } = await client.query<{ doc: Ticket }>('SELECT doc FROM tickets WHERE id = $1 FOR UPDATE', [id]);
      if (!rows[0]) throw new NotFoundError('ticket', id);
      const t = rows[0].doc;
      const before = structuredClone(t);
      if (change(t) === false) return before;
      t.updatedAt = new Date().toISOString();
      await client.query(
        'UPDATE tickets SET status = $2, channel = $3, lang = $4, tags = $5, created_at = $6, updated_at = $7, doc = $8, team = $9, priority = $10, type = $11, category = $12 WHERE id = $1',
        [id, ...columnsOf(t)],
      );
      return t;
    });
  }

  async removeWhere(match: (t: Ticket) => boolean): Promise<string[]> {
    // The predicate is code, not SQL: read, decide, delete those ids.
    const removed = (await this.all()).filter(match).map((t) => t.id);
    if (removed.length) await this.pool.query('DELETE FROM tickets WHERE id = ANY($1)', [removed]);
    return removed;
  }

  async all(): Promise<Ticket[]> {
    const { rows } = await this.pool.query<{ doc: Ticket }>('SELECT doc FROM tickets ORDER BY seq');
    return rows.map((r) => r.doc);
  }
}

/** The columns kept beside the document, in table order after id and seq (then the triage columns of migration 0007). */
function columnsOf(t: Ticket): unknown[] {
  return [
    t.status,
    t.channel,
    t.lang,
    t.tags,
    t.createdAt,
    t.updatedAt,
    JSON.stringify(t),
    t.team ?? null,
    t.priority ?? null,
    t.type ?? null,
    t.category ?? null,
  ];
}
