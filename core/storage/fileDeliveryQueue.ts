import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { DurableJsonFile } from './durableJsonFile.ts';
import type { Delivery, DeliveryFailure, DeliveryQueue, NewDelivery } from './ports.ts';

interface QueueFile {
  deliveries: Delivery[];
}

/**
 * The embedded delivery queue: every delivery owed, in one JSON file
 * (DATA_DIR/webhooks/deliveries.json) rewritten atomically on each change,
 * so an acknowledged enqueue survives a crash and a restart resumes it. Only
 * the process owning the data directory opens it, so leases live in memory:
 * a crash forgets them, and what was under way is simply due again.
 */
export class FileDeliveryQueue implements DeliveryQueue {
  private chain: Promise<unknown> = Promise.resolve();
  private readonly leases = new Map<string, { worker: string; until: number }>();
  private readonly listeners = new Set<() => void>();

  private constructor(
    private readonly file: DurableJsonFile<QueueFile>,
    private items: Delivery[],
  ) {}

  static async open(dataDir: string): Promise<FileDeliveryQueue> {
    const file = path.join(dataDir, 'webhooks', 'deliveries.json');
    await fs.mkdir(path.dirname(file), { recursive: true });
    const durable = new DurableJsonFile<QueueFile>(file);
    const data = await durable.read();
    return new FileDeliveryQueue(durable, data?.deliveries ?? []);
  }

  async enqueue(d: NewDelivery): Promise<Delivery> {
    const now = new Date().toISOString();
    // A copy: the payload must not change with the caller's objects (the ticket store's own ticket).
    const delivery: Delivery = {
      id: randomUUID(),
      event: d.event,
      payload: structuredClone(d.payload),
      status: 'pending',
      attempts: 0,
      dueAt: now,
      createdAt: now,
    };
    await this.change((items) => [...items, delivery]);
    for (const listener of this.listeners) listener();
    return delivery;
  }

  claim(worker: string, opts: { limit: number; leaseMs: number }): Promise<Delivery[]> {
    const now = Date.now();
    return this.lease(worker, opts, (d) => d.status === 'pending' && Date.parse(d.dueAt) <= now);
  }

  claimDead(worker: string, opts: { limit: number; leaseMs: number }): Promise<Delivery[]> {
    return this.lease(worker, opts, (d) => d.status === 'dead');
  }

  async delivered(id: string): Promise<void> {
    await this.change((items) => items.filter((d) => d.id !== id));
    this.leases.delete(id);
  }

  async failed(id: string, worker: string, failure: DeliveryFailure): Promise<void> {
    if (this.leases.get(id)?.worker !== worker) return;
    const now = Date.now();
    await this.change((items) =>
      items.map((d) =>
        d.id !== id
          ? d
          : {
              ...d,
              status: failure.retryInMs === undefined ? 'dead' : 'pending',
              dueAt: new Date(now + (failure.retryInMs ?? 0)).toISOString(),
              lastError: failure.error,
            },
      ),
    );
    this.leases.delete(id);
  }

  dead(): Promise<Delivery[]> {
    return this.exclusive(async () => this.items.filter((d) => d.status === 'dead'));
  }

  all(): Promise<Delivery[]> {
    return this.exclusive(async () => [...this.items]);
  }

  async rewrite(change: (d: Delivery) => Record<string, unknown> | undefined): Promise<number> {
    let n = 0;
    await this.change((items) =>
      items.map((d) => {
        const payload = change(structuredClone(d));
        if (!payload) return d;
        n++;
        return { ...d, payload };
      }),
    );
    return n;
  }

  async adopt(deliveries: Delivery[]): Promise<number> {
    let added = 0;
    await this.change((items) => {
      const ids = new Set(items.map((d) => d.id));
      const fresh = deliveries.filter((d) => !ids.has(d.id) && ids.add(d.id));
      added = fresh.length;
      return fresh.length ? [...items, ...fresh] : items;
    });
    return added;
  }

  onEnqueued(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Lease the first `limit` matching deliveries that no live lease holds; the attempt count is written with the next change. */
  private lease(
    worker: string,
    opts: { limit: number; leaseMs: number },
    due: (d: Delivery) => boolean,
  ): Promise<Delivery[]> {
    return this.exclusive(async () => {
      const now = Date.now();
      const out: Delivery[] = [];
      for (const d of this.items) {
        if (out.length >= opts.limit) break;
        const held = this.leases.get(d.id);
        if (!due(d) || (held && held.until > now)) continue;
        this.leases.set(d.id, { worker, until: now + opts.leaseMs });
        d.attempts++;
        out.push(structuredClone(d));
      }
      return out;
    });
  }

  /** Compute the next list, write it durably, and only then serve it: a failed write changes nothing. */
  private change(next: (items: Delivery[]) => Delivery[]): Promise<void> {
    return this.exclusive(async () => {
      const items = next(this.items);
      if (items === this.items) return;
      await this.file.write({ deliveries: items });
      this.items = items;
    });
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.chain.then(fn);
    this.chain = next.catch(() => undefined);
    return next;
  }
}
