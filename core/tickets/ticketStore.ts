import path from 'node:path';
import { Low } from 'lowdb';
import { IdempotencyKeyReusedError, NotFoundError } from '../errors.ts';
import { DurableJsonFile } from '../storage/durableJsonFile.ts';
import type { CreatedOnce, TicketDraft, TicketPage, TicketQuery, TicketRepository } from '../storage/ports.ts';
import { IDEMPOTENCY_TTL_MS, type IdempotencyClaim } from './idempotency.ts';
import type { Ticket } from './types.ts';
import { ticketHasText, ticketTextQuery } from './ticketText.ts';

export type { TicketQuery } from '../storage/ports.ts';

interface TicketData {
  seq: number;
  tickets: Ticket[];
  /** Idempotency-Key claims, kept in the same file as the tickets so one write stores both. */
  idempotency?: (IdempotencyClaim & { ticketId: string; at: string })[];
}

/** The built-in ticket store: lowdb over a durable JSON file in the data directory. */
export class TicketStore implements TicketRepository {
  private constructor(
    private readonly db: Low<TicketData>,
    readonly adapter: DurableJsonFile<TicketData>,
  ) {}

  static async open(dataDir: string): Promise<TicketStore> {
    const adapter = new DurableJsonFile<TicketData>(path.join(dataDir, 'tickets.json'));
    const db = new Low<TicketData>(adapter, { seq: 0, tickets: [] });
    await db.read();
    return new TicketStore(db, adapter);
  }

  /** Persist a new ticket; resolves once it is on disk. */
  async create(draft: TicketDraft): Promise<Ticket> {
    const now = new Date().toISOString();
    this.db.data.seq += 1;
    const ticket: Ticket = {
      tags: [],
      notes: [],
      ...draft,
      messages: draft.messages ?? [],
      id: `T-${String(this.db.data.seq).padStart(6, '0')}`,
      status: 'open',
      createdAt: now,
      updatedAt: now,
    };
    this.db.data.tickets.push(ticket);
    try {
      await this.db.write();
    } catch (error) {
      // Not acknowledged: take it back so memory matches disk.
      this.db.data.tickets.pop();
      this.db.data.seq -= 1;
      throw error;
    }
    return ticket;
  }

  /** Claims being written: a second call with the key waits for the first to be on disk (or not). */
  private readonly claiming = new Map<string, Promise<unknown>>();

  async createOnce(claim: IdempotencyClaim, draft: TicketDraft): Promise<CreatedOnce> {
    for (let inFlight; (inFlight = this.claiming.get(claim.key));) await inFlight.catch(() => undefined);
    const expired = new Date(Date.now() - IDEMPOTENCY_TTL_MS).toISOString();
    const ids = new Set(this.db.data.tickets.map((t) => t.id));
    // Forgotten after the TTL, or with their ticket (retention, erasure).
    const kept = (this.db.data.idempotency ?? []).filter((c) => c.at >= expired && ids.has(c.ticketId));
    this.db.data.idempotency = kept;
    const first = kept.find((c) => c.key === claim.key);
    if (first) {
      if (first.request !== claim.request) throw new IdempotencyKeyReusedError();
      const { ticketId, at: _at, ...stored } = first;
      return { ticket: this.find(ticketId), claim: stored, replayed: true };
    }
    const creating = (async () => {
      kept.push({
        ...claim,
        ticketId: `T-${String(this.db.data.seq + 1).padStart(6, '0')}`,
        at: new Date().toISOString(),
      });
      try {
        return await this.create(draft);
      } catch (error) {
        kept.splice(
          kept.findIndex((c) => c.key === claim.key),
          1,
        );
        throw error;
      }
    })();
    this.claiming.set(claim.key, creating);
    try {
      return { ticket: await creating, claim, replayed: false };
    } finally {
      this.claiming.delete(claim.key);
    }
  }

  async get(id: string): Promise<Ticket> {
    return this.find(id);
  }

  private find(id: string): Ticket {
    const t = this.db.data.tickets.find((x) => x.id === id);
    if (!t) throw new NotFoundError('ticket', id);
    return t;
  }

  async list(q: TicketQuery = {}): Promise<TicketPage> {
    const pageSize = q.pageSize ?? 50;
    const page = q.page ?? 1;
    const text = q.text ? ticketTextQuery(q.text) : '';
    const all = this.db.data.tickets
      .filter(
        (t) =>
          (!q.status || t.status === q.status) &&
          (!q.tag || t.tags.includes(q.tag)) &&
          (!q.lang || t.lang === q.lang) &&
          (!q.channel || t.channel === q.channel) &&
          (!q.from || t.createdAt >= q.from) &&
          (!q.to || t.createdAt < q.to) &&
          (!q.verifiedUserId || t.verifiedUserId === q.verifiedUserId) &&
          (!q.updatedBefore || t.updatedAt < q.updatedBefore) &&
          (q.assignee === undefined || (t.assignee ?? null) === q.assignee) &&
          (!text || ticketHasText(t, text)) &&
          (!q.team || t.team === q.team) &&
          (!q.priority || t.priority === q.priority) &&
          (!q.type || t.type === q.type) &&
          (!q.category || sameCategory(t.category, q.category)),
      )
      .sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1));
    return { tickets: all.slice((page - 1) * pageSize, page * pageSize), total: all.length, page, pageSize };
  }

  /** Apply a change and persist it; on failure nothing changes. */
  async update(id: string, change: (t: Ticket) => unknown): Promise<Ticket> {
    const t = this.find(id);
    const before = structuredClone(t);
    try {
      // A change that throws half-way is undone too, as in the database adapter's transaction.
      if (change(t) === false) {
        Object.assign(t, before);
        return t;
      }
      t.updatedAt = new Date().toISOString();
      await this.db.write();
    } catch (error) {
      Object.assign(t, before);
      throw error;
    }
    return t;
  }

  /** Delete the tickets the predicate matches; resolves with their ids once on disk (on failure nothing is deleted). */
  async removeWhere(match: (t: Ticket) => boolean): Promise<string[]> {
    const before = this.db.data.tickets;
    const removed = before.filter(match).map((t) => t.id);
    if (!removed.length) return [];
    this.db.data.tickets = before.filter((t) => !match(t));
    try {
      await this.db.write();
    } catch (error) {
      this.db.data.tickets = before;
      throw error;
    }
    return removed;
  }

  async all(): Promise<Ticket[]> {
    return [...this.db.data.tickets];
  }

  /** The number of the last ticket ever created here (retention may have removed it): where a move to another store continues. */
  lastNumber(): number {
    return this.db.data.seq;
  }

  async save(): Promise<void> {
    await this.db.write();
  }
}

/** Categories match without regard to case, as agents type them into a filter (the PostgreSQL adapter's lower()). */
function sameCategory(a: string | undefined, b: string): boolean {
  return a !== undefined && a.toLowerCase() === b.toLowerCase();
}
