import type pg from 'pg';
import { IdempotencyKeyReusedError, NotFoundError } from '../../errors.ts';
import { IDEMPOTENCY_TTL_MS, type IdempotencyClaim } from '../../tickets/idempotency.ts';
import type { TicketColumns } from '../../reports/ticketColumns.ts';
import type { Ticket } from '../../tickets/types.ts';
import { nextUpdatedAt } from '../../tickets/outbox.ts';
import type {
  CreatedOnce,
  Owe,
  OwedDelivery,
  QueueOrder,
  TicketDraft,
  TicketPage,
  TicketQuery,
  TicketRepository,
} from '../ports.ts';
import { channelOf } from './pgDeliveryQueue.ts';
import { PgTicketFacts } from './pgTicketFacts.ts';
import { refreshQueueKeys } from './pgQueueKeys.ts';
import { transaction } from './transaction.ts';
import { TICKET_TEXT_FIELDS, ticketTextQuery } from '../../tickets/ticketText.ts';

/**
 * Tickets in PostgreSQL. Numbers come from one sequence, so two instances
 * never give the same id; an update locks its row, so concurrent changes
 * from different instances apply one after the other. An idempotent create
 * commits its key's claim with the ticket (migration 0006), and every change
 * commits the deliveries it owes (the outbox) in its own transaction.
 * A queue is ordered and paged in SQL by a key kept on each row (migration
 * 0016), written with each change under the policy of the last queue read
 * here, and made again by a read under another policy (pgQueueKeys.ts).
 */
export class PgTicketStore implements TicketRepository {
  /** The queue order last read here: what a change keys its row by (none yet: left for the next read to key). */
  private keying?: QueueOrder;
  /** This instance's facts for the tickets report, decoded once per ticket version. */
  private readonly facts: PgTicketFacts;

  constructor(private readonly pool: pg.Pool) {
    this.facts = new PgTicketFacts(pool);
  }

  async create(draft: TicketDraft, owe?: Owe): Promise<Ticket> {
    if (!owe) return insert(this.pool, draft, undefined, undefined, this.keying);
    return transaction(this.pool, async (client) => insert(client, draft, undefined, owe, this.keying));
  }

  async createOnce(claim: IdempotencyClaim, draft: TicketDraft, owe?: Owe): Promise<CreatedOnce> {
    return transaction(this.pool, async (client) => {
      await client.query('DELETE FROM ticket_idempotency WHERE created_at < $1', [
        new Date(Date.now() - IDEMPOTENCY_TTL_MS).toISOString(),
      ]);
      const seq = (await client.query<{ n: string }>("SELECT nextval('ticket_seq') AS n")).rows[0]!.n;
      // Another instance's claim on this key, committed or in flight, makes this wait for it, then do nothing.
      const taken = await client.query(
        'INSERT INTO ticket_idempotency (key, request, salt, ticket_id) VALUES ($1, $2, $3, $4) ON CONFLICT (key) DO NOTHING',
        [claim.key, claim.request, claim.salt, idOf(seq)],
      );
      if (taken.rowCount) return { ticket: await insert(client, draft, seq, owe, this.keying), claim, replayed: false };
      const { rows } = await client.query<{ request: string; salt: string; doc: Ticket }>(
        'SELECT k.request, k.salt, t.doc FROM ticket_idempotency k JOIN tickets t ON t.id = k.ticket_id WHERE k.key = $1',
        [claim.key],
      );
      const first = rows[0];
      if (!first) throw new NotFoundError('ticket for this Idempotency-Key', claim.key.slice(0, 12));
      if (first.request !== claim.request) throw new IdempotencyKeyReusedError();
      return { ticket: first.doc, claim: { ...claim, salt: first.salt }, replayed: true };
    });
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
    if (q.assignee === null) where.push("doc->>'assignee' IS NULL");
    else if (q.assignee !== undefined) add("doc->>'assignee' = ?", q.assignee);
    const text = q.text ? ticketTextQuery(q.text) : '';
    if (text) {
      params.push(text);
      const n = `$${params.length}`;
      where.push(`(${TICKET_TEXT_FIELDS.map((f) => `strpos(${fold(`doc->>'${f}'`)}, ${n}) > 0`).join(' OR ')})`);
    }
    if (q.team) add('team = ?', q.team);
    if (q.priority) add('priority = ?', q.priority);
    if (q.type) add('type = ?', q.type);
    if (q.category) add('lower(category) = lower(?)', q.category);
    const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
    let order = 'created_at DESC, seq DESC';
    if (q.queue) {
      this.keying = q.queue;
      // The same order as the embedded store's: code units (COLLATE "C"), whatever the database's collation.
      if (q.queue.fifo) order = 'created_at, id COLLATE "C"';
      else {
        await refreshQueueKeys(this.pool, q.queue, where, params);
        order = 'queue_key';
      }
    }
    const [found, count] = await Promise.all([
      this.pool.query<{ doc: Ticket }>(
        `SELECT doc FROM tickets ${filter} ORDER BY ${order} LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`,
        params,
      ),
      this.pool.query<{ n: string }>(`SELECT count(*) AS n FROM tickets ${filter}`, params),
    ]);
    return { tickets: found.rows.map((r) => r.doc), total: Number(count.rows[0]!.n), page, pageSize };
  }

  async update(id: string, change: (t: Ticket) => unknown, owe?: Owe): Promise<Ticket> {
    return transaction(this.pool, async (client) => {
      const { rows } = await client.query<{ doc: Ticket }>('SELECT doc FROM tickets WHERE id = $1 FOR UPDATE', [id]);
      if (!rows[0]) throw new NotFoundError('ticket', id);
      const t = rows[0].doc;
      const before = structuredClone(t);
      if (change(t) === false) return before;
      t.updatedAt = nextUpdatedAt(before.updatedAt);
      const owed = owe?.(t) ?? [];
      await client.query(
        'UPDATE tickets SET status = $2, channel = $3, lang = $4, tags = $5, created_at = $6, updated_at = $7, doc = $8, team = $9, priority = $10, type = $11, category = $12, queue_key = $13, queue_policy = $14 WHERE id = $1',
        [id, ...columnsOf(t, this.keying)],
      );
      await queueOwed(client, owed);
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

  /** The tickets report's facts, from the compact table beside the tickets (migrations 0011, 0015). */
  reportFacts(from: string, to: string): Promise<TicketColumns> {
    return this.facts.read(from, to);
  }

  warmReportFacts(): void {
    this.facts.warm();
  }

  /** Stop a background decoding of report facts (before the pool ends). */
  close(): Promise<void> {
    return this.facts.close();
  }
}

/** Insert a new ticket numbered `seq` (a new number when unset), and what it owes (call inside a transaction when `owe` is set). */
async function insert(
  db: pg.Pool | pg.PoolClient,
  draft: TicketDraft,
  seq?: string,
  owe?: Owe,
  keying?: QueueOrder,
): Promise<Ticket> {
  seq ??= (await db.query<{ n: string }>("SELECT nextval('ticket_seq') AS n")).rows[0]!.n;
  const now = new Date().toISOString();
  const ticket: Ticket = {
    tags: [],
    notes: [],
    ...draft,
    messages: draft.messages ?? [],
    id: idOf(seq),
    status: 'open',
    createdAt: now,
    updatedAt: now,
  };
  // Before the insert: what it owes may record its claim on the ticket (the mail sink's sealed link).
  const pending = owe?.(ticket) ?? [];
  await db.query(
    'INSERT INTO tickets (id, seq, status, channel, lang, tags, created_at, updated_at, doc, team, priority, type, category, queue_key, queue_policy) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)',
    [ticket.id, seq, ...columnsOf(ticket, keying)],
  );
  await queueOwed(db, pending);
  return ticket;
}

/**
 * Queue owed deliveries in the caller's transaction, waking every instance's
 * workers when it commits (NOTIFY is delivered at commit, and not at all on a
 * rollback). An id already queued is skipped: a delivery is owed once.
 */
async function queueOwed(db: pg.Pool | pg.PoolClient, owed: OwedDelivery[]): Promise<void> {
  if (!owed.length) return;
  await db.query(
    `INSERT INTO deliveries (id, event, payload, queue)
     SELECT * FROM unnest($1::text[], $2::text[], $3::json[], $4::text[]) ON CONFLICT (id) DO NOTHING`,
    [
      owed.map((d) => d.id),
      owed.map((d) => d.event),
      owed.map((d) => JSON.stringify(d.payload)),
      owed.map((d) => d.queue),
    ],
  );
  for (const queue of new Set(owed.map((d) => d.queue)))
    await db.query('SELECT pg_notify($1, $2)', [channelOf(queue), '']);
}

function idOf(seq: string): string {
  return `T-${seq.padStart(6, '0')}`;
}

/** The columns kept beside the document, in table order after id and seq (then the triage columns of migration 0007, and the queue key of 0016). */
function columnsOf(t: Ticket, keying: QueueOrder | undefined): unknown[] {
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
    keying ? keying.key(t) : null,
    keying ? keying.policy : null,
  ];
}

/**
 * core/text/analyze.ts's fold() in SQL: decompose (NFKD), drop the combining
 * marks, lower-case. Only the Latin marks (U+0300–U+036F) are dropped, which
 * covers Spanish and English; after that the letters are ASCII, so lower()
 * does not depend on the database's locale.
 */
function fold(expr: string): string {
  return `lower(regexp_replace(normalize(${expr}, NFKD), '[\\u0300-\\u036f]', '', 'g'))`;
}
