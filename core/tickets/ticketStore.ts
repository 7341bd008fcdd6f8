import path from 'node:path';
import { Low } from 'lowdb';
import { IdempotencyKeyReusedError, NotFoundError } from '../errors.ts';
import { DurableJsonFile } from '../storage/durableJsonFile.ts';
import { log } from '../logger.ts';
import type {
  CreatedOnce,
  Delivery,
  DeliveryOutlet,
  Owe,
  OwedDelivery,
  QueueName,
  QueueOrder,
  TicketDraft,
  TicketPage,
  TicketQuery,
  TicketRepository,
} from '../storage/ports.ts';
import { IDEMPOTENCY_TTL_MS, type IdempotencyClaim } from './idempotency.ts';
import type { Ticket } from './types.ts';
import { nextUpdatedAt } from './outbox.ts';
import { ticketHasText, ticketTextQuery } from './ticketText.ts';
import { cmp, fifoCompare } from '../triage/queueOrder.ts';

export type { TicketQuery } from '../storage/ports.ts';

interface TicketData {
  seq: number;
  tickets: Ticket[];
  /** Idempotency-Key claims, kept in the same file as the tickets so one write stores both. */
  idempotency?: (IdempotencyClaim & { ticketId: string; at: string })[];
  /** Deliveries owed by changes on disk, not yet in their queue's journal (the outbox): empty but for a moment. */
  outbox?: OwedDelivery[];
}

/**
 * The built-in ticket store: lowdb over a durable JSON file in the data
 * directory. A change's owed deliveries are written in the same file write
 * as the change (the outbox), then handed to their queues (`outlet`); at
 * open, whatever a crash left owed is handed over again, and the queues skip
 * the ids they already hold.
 */
export class TicketStore implements TicketRepository {
  /** Owed deliveries on disk, waiting to be handed to their queues. */
  private readonly toRelay: OwedDelivery[] = [];
  private relaying: Promise<void> = Promise.resolve();

  private constructor(
    private readonly db: Low<TicketData>,
    readonly adapter: DurableJsonFile<TicketData>,
    private readonly outlet?: DeliveryOutlet,
  ) {}

  /** Without an outlet, owed deliveries stay in the file until a store with one opens it. */
  static async open(dataDir: string, outlet?: DeliveryOutlet): Promise<TicketStore> {
    const adapter = new DurableJsonFile<TicketData>(path.join(dataDir, 'tickets.json'));
    const db = new Low<TicketData>(adapter, { seq: 0, tickets: [] });
    await db.read();
    const store = new TicketStore(db, adapter, outlet);
    const left = db.data.outbox ?? [];
    if (left.length && outlet) {
      log.info('tickets', 'queuing the deliveries owed by changes stored before a stop', { deliveries: left.length });
      store.toRelay.push(...left);
      await store.relay();
    }
    return store;
  }

  /** Persist a new ticket and what it owes; resolves once both are on disk. */
  async create(draft: TicketDraft, owe?: Owe): Promise<Ticket> {
    const now = new Date().toISOString();
    const number = (this.db.data.seq += 1);
    const ticket: Ticket = {
      tags: [],
      notes: [],
      ...draft,
      messages: draft.messages ?? [],
      id: `T-${String(number).padStart(6, '0')}`,
      status: 'open',
      createdAt: now,
      updatedAt: now,
    };
    let owed: OwedDelivery[] = [];
    try {
      owed = owe?.(ticket) ?? [];
      this.db.data.tickets.push(ticket);
      (this.db.data.outbox ??= []).push(...owed);
      await this.db.write();
    } catch (error) {
      // Not acknowledged: take it back so memory matches disk. Its number is given again only if no
      // ticket created meanwhile took the next one (that one's write may well be stored).
      this.db.data.tickets = this.db.data.tickets.filter((t) => t !== ticket);
      this.forget(owed);
      if (this.db.data.seq === number) this.db.data.seq -= 1;
      throw error;
    }
    await this.handOver(owed);
    return ticket;
  }

  /** Claims being written: a second call with the key waits for the first to be on disk (or not). */
  private readonly claiming = new Map<string, Promise<unknown>>();

  async createOnce(claim: IdempotencyClaim, draft: TicketDraft, owe?: Owe): Promise<CreatedOnce> {
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
        return await this.create(draft, owe);
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
    const all = this.db.data.tickets.filter(
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
    );
    if (q.queue) this.inQueueOrder(all, q.queue);
    else all.sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1));
    return { tickets: all.slice((page - 1) * pageSize, page * pageSize), total: all.length, page, pageSize };
  }

  /** Queue keys by ticket, kept while the ticket and the policy are those they were made from (a change moves updatedAt). */
  private readonly queueKeys = new WeakMap<Ticket, { policy: string; updatedAt: string; key: string }>();

  /** Sort the matching tickets into queue order, in place: all are in memory, so there is no cap and nothing to store. */
  private inQueueOrder(tickets: Ticket[], order: QueueOrder): void {
    if (order.fifo) {
      tickets.sort(fifoCompare);
      return;
    }
    const keyOf = (t: Ticket) => {
      const kept = this.queueKeys.get(t);
      if (kept && kept.policy === order.policy && kept.updatedAt === t.updatedAt) return kept.key;
      const key = order.key(t);
      this.queueKeys.set(t, { policy: order.policy, updatedAt: t.updatedAt, key });
      return key;
    };
    const keyed = tickets.map((t) => [keyOf(t), t] as const).sort((a, b) => cmp(a[0], b[0]));
    keyed.forEach(([, t], i) => (tickets[i] = t));
  }

  /** Per ticket, the last change in flight (settled either way): the next one waits for it. */
  private readonly changing = new Map<string, Promise<unknown>>();

  /**
   * Apply a change and persist it with what it owes; on failure nothing changes.
   * Changes to one ticket run one after another: a change whose write fails puts
   * the ticket back as it was before it, which would also undo a later change
   * made on top of it meanwhile, stored and acknowledged by its own write.
   */
  update(id: string, change: (t: Ticket) => unknown, owe?: Owe): Promise<Ticket> {
    const previous = this.changing.get(id);
    const mine = previous ? previous.then(() => this.applyChange(id, change, owe)) : this.applyChange(id, change, owe);
    const settled = mine.catch(() => undefined);
    this.changing.set(id, settled);
    void settled.then(() => {
      if (this.changing.get(id) === settled) this.changing.delete(id);
    });
    return mine;
  }

  private async applyChange(id: string, change: (t: Ticket) => unknown, owe?: Owe): Promise<Ticket> {
    const t = this.find(id);
    const before = structuredClone(t);
    let owed: OwedDelivery[] = [];
    try {
      // A change that throws half-way is undone too, as in the database adapter's transaction.
      if (change(t) === false) {
        restore(t, before);
        return t;
      }
      t.updatedAt = nextUpdatedAt(before.updatedAt);
      owed = owe?.(t) ?? [];
      (this.db.data.outbox ??= []).push(...owed);
      await this.db.write();
    } catch (error) {
      restore(t, before);
      this.forget(owed);
      throw error;
    }
    await this.handOver(owed);
    return t;
  }

  /** Take back owed deliveries whose change was not stored. */
  private forget(owed: OwedDelivery[]): void {
    if (!owed.length) return;
    const ids = new Set(owed.map((d) => d.id));
    this.db.data.outbox = (this.db.data.outbox ?? []).filter((d) => !ids.has(d.id));
  }

  /** Hand a stored change's owed deliveries to their queues before the caller answers (coalesced with others'). */
  private async handOver(owed: OwedDelivery[]): Promise<void> {
    if (!owed.length || !this.outlet) return;
    this.toRelay.push(...owed);
    await this.relay();
  }

  /**
   * Journal everything waiting in its queue, held from the workers; forget it
   * here, durably; then let the workers have it. A crash before the forgetting
   * leaves it owed here and held there, so the next open hands it over again
   * (skipped by id) and it is sent once. Never rejects: what could not be
   * handed over stays owed for the next change or the next open.
   */
  private relay(): Promise<void> {
    const next = this.relaying.then(async () => {
      const batch = this.toRelay.splice(0);
      if (!batch.length || !this.outlet) return;
      try {
        await this.outlet.hold(batch);
      } catch (error) {
        this.toRelay.unshift(...batch);
        log.error('tickets', 'could not queue owed deliveries; kept with the tickets for a later try', {
          deliveries: batch.length,
          error,
        });
        return;
      }
      this.forget(batch);
      await this.db.write().catch((error: Error) =>
        // Still owed in the file as well as queued: after a crash now, the next open queues it again under its id.
        log.warn('tickets', 'could not record owed deliveries as queued', { deliveries: batch.length, error }),
      );
      this.outlet.release(batch);
    });
    this.relaying = next;
    return next;
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
      // Back as they were, keeping tickets created meanwhile (their own writes may be stored).
      const kept = new Set(before);
      this.db.data.tickets = [...before, ...this.db.data.tickets.filter((t) => !kept.has(t))];
      throw error;
    }
    return removed;
  }

  async all(): Promise<Ticket[]> {
    return [...this.db.data.tickets];
  }

  /** Deliveries a change owes that a crash left in the file, not yet in their queue (what a move must take too). */
  owed(queue: QueueName): Delivery[] {
    return (this.db.data.outbox ?? []).filter((d) => d.queue === queue).map(({ queue: _queue, ...d }) => d);
  }

  /** The number of the last ticket ever created here (retention may have removed it): where a move to another store continues. */
  lastNumber(): number {
    return this.db.data.seq;
  }

  async save(): Promise<void> {
    await this.db.write();
  }
}

/** Put a ticket back as it was, dropping fields a failed change added (Object.assign alone would keep them). */
function restore(t: Ticket, before: Ticket): void {
  for (const k of Object.keys(t)) if (!(k in before)) delete (t as unknown as Record<string, unknown>)[k];
  Object.assign(t, before);
}

/** Categories match without regard to case, as agents type them into a filter (the PostgreSQL adapter's lower()). */
function sameCategory(a: string | undefined, b: string): boolean {
  return a !== undefined && a.toLowerCase() === b.toLowerCase();
}
