import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { UnavailableError } from '../errors.ts';
import { log } from '../logger.ts';
import { writeFileAtomic } from './atomicFile.ts';
import type {
  Delivery,
  DeliveryFailure,
  DeliveryOutlet,
  DeliveryQueue,
  NewDelivery,
  OwedDelivery,
  QueueName,
} from './ports.ts';

/** A journal line: a delivery's whole new state, or its removal once delivered. */
type Entry = { put: Delivery } | { del: string };

/** Rewrite the journal once it holds this many lines more than there are deliveries. */
const COMPACT_SLACK = 1000;

/**
 * The embedded delivery queue: a journal (DATA_DIR/webhooks/deliveries.jsonl)
 * of each change, appended with fsync before the change is served, so an
 * acknowledged enqueue survives a crash and a restart resumes it, and the
 * cost of a change does not grow with the backlog (a receiver down for days).
 * Replayed at open, where a torn last line is dropped, and rewritten
 * atomically (compacted) then and whenever it has grown long. Only the
 * process owning the data directory opens it, so leases live in memory: a
 * crash forgets them, and what was under way is simply due again.
 */
export class FileDeliveryQueue implements DeliveryQueue {
  private chain: Promise<unknown> = Promise.resolve();
  /** A write failed part-way (disk full): the journal may end in a torn line, so rewrite it before appending again. */
  private torn = false;
  private readonly leases = new Map<string, { worker: string; until: number }>();
  /** Deliveries the ticket store has journalled here but not yet forgotten on its side: no worker takes them. */
  private readonly held = new Set<string>();
  private readonly listeners = new Set<() => void>();

  private constructor(
    private readonly file: string,
    /** Insertion order is queue order. */
    private readonly items: Map<string, Delivery>,
    private lines: number,
  ) {}

  /** `folder`: webhooks (DATA_DIR/webhooks), or another queue's own journal (DATA_DIR/mail for the customer's e-mails). */
  static async open(dataDir: string, folder = 'webhooks'): Promise<FileDeliveryQueue> {
    const file = path.join(dataDir, folder, 'deliveries.jsonl');
    await fs.mkdir(path.dirname(file), { recursive: true });
    const items = new Map<string, Delivery>();
    const text = await fs
      .readFile(file, 'utf8')
      .catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? '' : raise(e)));
    let lines = 0;
    for (const line of text.split('\n')) {
      const entry = parse(line);
      if (!entry) continue;
      lines++;
      if ('put' in entry) items.set(entry.put.id, entry.put);
      else items.delete(entry.del);
    }
    const queue = new FileDeliveryQueue(file, items, lines);
    // Always, when there is a journal: it may end in a torn line, which the next append must not continue.
    if (text) await queue.exclusive(() => queue.compact());
    return queue;
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
    await this.record([{ put: delivery }]);
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
    await this.exclusive(() => (this.items.has(id) ? this.write([{ del: id }]) : Promise.resolve()));
    this.leases.delete(id);
  }

  async failed(id: string, worker: string, failure: DeliveryFailure): Promise<void> {
    await this.exclusive(async () => {
      const d = this.items.get(id);
      if (!d || this.leases.get(id)?.worker !== worker) return;
      const dead = failure.retryInMs === undefined;
      const dueAt = new Date(Date.now() + (failure.retryInMs ?? 0)).toISOString();
      await this.write([{ put: { ...d, status: dead ? 'dead' : 'pending', dueAt, lastError: failure.error } }]);
      this.leases.delete(id);
    });
  }

  dead(): Promise<Delivery[]> {
    return this.exclusive(async () => [...this.items.values()].filter((d) => d.status === 'dead').map(copy));
  }

  all(): Promise<Delivery[]> {
    return this.exclusive(async () => [...this.items.values()].map(copy));
  }

  rewrite(change: (d: Delivery) => Record<string, unknown> | undefined): Promise<number> {
    return this.exclusive(async () => {
      const puts: Entry[] = [];
      for (const d of this.items.values()) {
        const payload = change(copy(d));
        if (payload) puts.push({ put: { ...d, payload } });
      }
      if (puts.length) await this.write(puts);
      return puts.length;
    });
  }

  adopt(deliveries: Delivery[]): Promise<number> {
    return this.exclusive(async () => {
      const fresh = new Map(deliveries.filter((d) => !this.items.has(d.id)).map((d) => [d.id, d]));
      if (fresh.size) await this.write([...fresh.values()].map((d) => ({ put: copy(d) })));
      return fresh.size;
    });
  }

  onEnqueued(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Journal deliveries a ticket change owes (the embedded outbox), skipping the
   * ids already here — so handing the same ones over again after a crash
   * queues each once — and keep all of them from the workers until `release`.
   */
  hold(deliveries: Delivery[]): Promise<void> {
    return this.exclusive(async () => {
      const fresh = new Map(deliveries.filter((d) => !this.items.has(d.id)).map((d) => [d.id, d]));
      if (fresh.size) await this.write([...fresh.values()].map((d) => ({ put: copy(d) })));
      for (const d of deliveries) if (this.items.has(d.id)) this.held.add(d.id);
    });
  }

  /** Let the workers have deliveries kept back by `hold`. */
  release(ids: string[]): void {
    for (const id of ids) this.held.delete(id);
    for (const listener of this.listeners) listener();
  }

  /** Lease the first `limit` matching deliveries no live lease holds; the attempt count is journalled with the outcome. */
  private lease(
    worker: string,
    opts: { limit: number; leaseMs: number },
    due: (d: Delivery) => boolean,
  ): Promise<Delivery[]> {
    return this.exclusive(async () => {
      const now = Date.now();
      const out: Delivery[] = [];
      for (const d of this.items.values()) {
        if (out.length >= opts.limit) break;
        const held = this.leases.get(d.id);
        if (!due(d) || (held && held.until > now) || this.held.has(d.id)) continue;
        this.leases.set(d.id, { worker, until: now + opts.leaseMs });
        d.attempts++;
        out.push(copy(d));
      }
      return out;
    });
  }

  private record(entries: Entry[]): Promise<void> {
    return this.exclusive(() => this.write(entries));
  }

  /** Append and fsync the entries, and only then apply them: a failed write changes nothing. Call inside exclusive. */
  private async write(entries: Entry[]): Promise<void> {
    if (this.torn) await this.compact();
    if (this.torn) throw new UnavailableError(`could not save ${this.file}: the journal could not be repaired`);
    try {
      const handle = await fs.open(this.file, 'a');
      try {
        await handle.write(entries.map((e) => `${JSON.stringify(e)}\n`).join(''));
        await handle.sync();
      } finally {
        await handle.close();
      }
    } catch (error) {
      this.torn = true;
      const e = error as NodeJS.ErrnoException;
      throw new UnavailableError(`could not save ${this.file}: ${e.code ?? e.message}`, { cause: error });
    }
    for (const e of entries) {
      if ('put' in e) this.items.set(e.put.id, e.put);
      else this.items.delete(e.del);
    }
    this.lines += entries.length;
    if (this.lines > this.items.size + COMPACT_SLACK) await this.compact();
  }

  /** Rewrite the journal as one line per delivery owed (temp file, fsync, rename). */
  private async compact(): Promise<void> {
    const text = [...this.items.values()].map((d) => `${JSON.stringify({ put: d })}\n`).join('');
    try {
      await writeFileAtomic(this.file, text);
      this.lines = this.items.size;
      this.torn = false;
    } catch (error) {
      // The long journal is still whole and correct: compacting can wait for the next change.
      log.warn('webhook', 'could not compact the delivery journal', { file: this.file, error });
    }
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.chain.then(fn);
    this.chain = next.catch(() => undefined);
    return next;
  }
}

/** The embedded queues as the ticket store's outlet: each owed delivery goes to its own queue's journal. */
export function queueOutlet(queues: Record<QueueName, FileDeliveryQueue>): DeliveryOutlet {
  const byQueue = (owed: OwedDelivery[]) =>
    Object.entries(queues).map(([name, queue]) => ({
      queue,
      deliveries: owed.filter((d) => d.queue === name).map(({ queue: _queue, ...d }) => d),
    }));
  return {
    async hold(owed) {
      for (const { queue, deliveries } of byQueue(owed)) if (deliveries.length) await queue.hold(deliveries);
    },
    release(owed) {
      for (const { queue, deliveries } of byQueue(owed))
        if (deliveries.length) queue.release(deliveries.map((d) => d.id));
    },
  };
}

function parse(line: string): Entry | null {
  if (!line) return null;
  try {
    return JSON.parse(line) as Entry;
  } catch {
    // A line torn by a crash mid-append was never acknowledged.
    return null;
  }
}

function copy(d: Delivery): Delivery {
  return structuredClone(d);
}

function raise(error: unknown): never {
  throw error;
}
