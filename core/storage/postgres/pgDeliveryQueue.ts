import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { Delivery, DeliveryFailure, DeliveryQueue, NewDelivery, QueueName } from '../ports.ts';
import { listen } from './listen.ts';

/** The channel every instance LISTENs on, so a new delivery is sent at once rather than at the next poll (per queue). */
const CHANNEL = 'deflect_deliveries';

interface Row {
  id: string;
  event: string;
  payload: Record<string, unknown>;
  status: 'pending' | 'dead';
  attempts: number;
  due_at: Date;
  created_at: Date;
  last_error: string | null;
}

const COLUMNS = 'id, event, payload, status, attempts, due_at, created_at, last_error';

/**
 * The delivery queue in PostgreSQL (migration 0002), shared by every
 * instance. A claim locks due rows with FOR UPDATE SKIP LOCKED and writes a
 * lease in the same statement, so two workers never take the same row, and a
 * row whose lease ran out (its instance died mid-attempt) is due again. Times
 * are the database's, so instances' clocks need not agree.
 */
export class PgDeliveryQueue implements DeliveryQueue {
  private readonly listeners = new Set<() => void>();
  private listening: { close(): Promise<void> } | undefined;

  /**
   * `url`: the database's, for the connection that LISTENs (its own, not the pool's);
   * `queue`: which deliveries of the table this is (migration 0008): webhooks, or the customer's e-mails.
   */
  constructor(
    private readonly pool: pg.Pool,
    private readonly url: string,
    private readonly queue: QueueName = 'webhook',
  ) {}

  private get channel(): string {
    return channelOf(this.queue);
  }

  async enqueue(d: NewDelivery): Promise<Delivery> {
    const { rows } = await this.pool.query<Row>(
      `WITH added AS (INSERT INTO deliveries (id, event, payload, queue) VALUES ($1, $2, $3, $4) RETURNING ${COLUMNS})
       SELECT added.*, pg_notify('${this.channel}', '') FROM added`,
      [randomUUID(), d.event, JSON.stringify(d.payload), this.queue],
    );
    this.fire();
    return toDelivery(rows[0]!);
  }

  claim(worker: string, opts: { limit: number; leaseMs: number }): Promise<Delivery[]> {
    return this.lease(worker, opts, `status = 'pending' AND due_at <= now() ORDER BY due_at, seq`);
  }

  claimDead(worker: string, opts: { limit: number; leaseMs: number }): Promise<Delivery[]> {
    return this.lease(worker, opts, `status = 'dead' ORDER BY seq`);
  }

  async delivered(id: string): Promise<void> {
    await this.pool.query('DELETE FROM deliveries WHERE id = $1 AND queue = $2', [id, this.queue]);
  }

  async failed(id: string, worker: string, failure: DeliveryFailure): Promise<void> {
    const dead = failure.retryInMs === undefined;
    await this.pool.query(
      `UPDATE deliveries SET status = $3, due_at = now() + $4 * interval '1 millisecond', last_error = $5,
              lease_owner = NULL, lease_until = NULL
        WHERE id = $1 AND lease_owner = $2 AND queue = $6`,
      [id, worker, dead ? 'dead' : 'pending', failure.retryInMs ?? 0, failure.error, this.queue],
    );
  }

  async dead(): Promise<Delivery[]> {
    const { rows } = await this.pool.query<Row>(
      `SELECT ${COLUMNS} FROM deliveries WHERE status = 'dead' AND queue = $1 ORDER BY seq`,
      [this.queue],
    );
    return rows.map(toDelivery);
  }

  async all(): Promise<Delivery[]> {
    const { rows } = await this.pool.query<Row>(`SELECT ${COLUMNS} FROM deliveries WHERE queue = $1 ORDER BY seq`, [
      this.queue,
    ]);
    return rows.map(toDelivery);
  }

  async rewrite(change: (d: Delivery) => Record<string, unknown> | undefined): Promise<number> {
    let n = 0;
    for (const d of await this.all()) {
      const payload = change(d);
      if (!payload) continue;
      await this.pool.query('UPDATE deliveries SET payload = $2 WHERE id = $1 AND queue = $3', [
        d.id,
        JSON.stringify(payload),
        this.queue,
      ]);
      n++;
    }
    return n;
  }

  async adopt(deliveries: Delivery[]): Promise<number> {
    let added = 0;
    for (const d of deliveries) {
      const r = await this.pool.query(
        `INSERT INTO deliveries (id, event, payload, status, attempts, due_at, created_at, last_error, queue)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (id) DO NOTHING`,
        [
          d.id,
          d.event,
          JSON.stringify(d.payload),
          d.status,
          d.attempts,
          d.dueAt,
          d.createdAt,
          d.lastError ?? null,
          this.queue,
        ],
      );
      added += r.rowCount ?? 0;
    }
    return added;
  }

  /**
   * `listener` runs on every delivery enqueued, here or (through NOTIFY) on
   * another instance, and whenever the listening connection (re)connects:
   * what was enqueued while it was down was not heard, so workers look again.
   * Without it, the workers' poll still finds every delivery, only later.
   */
  onEnqueued(listener: () => void): () => void {
    this.listeners.add(listener);
    this.listening ??= listen(
      this.url,
      this.channel,
      () => this.fire(),
      () => this.fire(),
    );
    return () => {
      this.listeners.delete(listener);
      if (!this.listeners.size) void this.close();
    };
  }

  /** Stop listening. */
  async close(): Promise<void> {
    const listening = this.listening;
    this.listening = undefined;
    await listening?.close();
  }

  private async lease(worker: string, opts: { limit: number; leaseMs: number }, where: string): Promise<Delivery[]> {
    // The lease test and the lease write are one statement: a row locked by another claim is skipped, not waited for.
    const { rows } = await this.pool.query<Row>(
      `UPDATE deliveries SET lease_owner = $1, lease_until = now() + $2 * interval '1 millisecond', attempts = attempts + 1
        WHERE id IN (SELECT id FROM deliveries
                      WHERE queue = $4 AND (lease_until IS NULL OR lease_until < now()) AND ${where}
                      LIMIT $3 FOR UPDATE SKIP LOCKED)
        RETURNING ${COLUMNS}`,
      [worker, opts.leaseMs, opts.limit, this.queue],
    );
    return rows.map(toDelivery).sort((a, b) => a.dueAt.localeCompare(b.dueAt));
  }

  private fire(): void {
    for (const listener of this.listeners) listener();
  }
}

/** The NOTIFY channel of a queue: the webhooks keep the one they always had; another gets its own, so a mail does not wake webhook workers. */
export function channelOf(queue: QueueName): string {
  return queue === 'webhook' ? CHANNEL : `${CHANNEL}_${queue}`;
}

function toDelivery(r: Row): Delivery {
  return {
    id: r.id,
    event: r.event,
    payload: r.payload,
    status: r.status,
    attempts: r.attempts,
    dueAt: r.due_at.toISOString(),
    createdAt: r.created_at.toISOString(),
    ...(r.last_error ? { lastError: r.last_error } : {}),
  };
}
