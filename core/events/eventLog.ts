import { promises as fs } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { UnavailableError } from '../errors.ts';
import { writeFileAtomic } from '../storage/atomicFile.ts';
import type { EventStore } from '../storage/ports.ts';
import type { DeflectEvent, NewEvent } from './types.ts';

const IDLE_CLOSE_MS = 1000;

/**
 * Append-only event log, one JSON Lines file per UTC day. An append resolves
 * only after its line is on disk (the file is written with O_SYNC), and
 * concurrent appends share one synchronous write (group commit), so the cost
 * of a write does not grow with history
 * and throughput holds under load. A torn last line (a crash mid-write) is
 * skipped when reading.
 */
export class EventLog implements EventStore {
  private queue: { line: string; day: string; resolve: () => void; reject: (e: Error) => void }[] = [];
  private flushing: Promise<void> | null = null;
  /** Today's file stays open while appends keep coming: opening and closing it per batch cost as much as the write. */
  private open: { day: string; handle: fs.FileHandle } | null = null;
  private idleTimer: NodeJS.Timeout | null = null;

  constructor(private readonly dir: string) {}

  async init(): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true });
  }

  append(event: NewEvent): Promise<DeflectEvent> {
    const full = { id: randomUUID(), at: new Date().toISOString(), ...event } as DeflectEvent;
    return new Promise((resolve, reject) => {
      this.queue.push({
        line: `${JSON.stringify(full)}\n`,
        day: full.at.slice(0, 10),
        resolve: () => resolve(full),
        reject,
      });
      if (!this.flushing) this.flushing = this.flush();
    });
  }

  private async flush(): Promise<void> {
    while (this.queue.length) {
      const batch = this.queue;
      this.queue = [];
      const byDay = new Map<string, typeof batch>();
      for (const item of batch) {
        const items = byDay.get(item.day);
        if (items) items.push(item);
        else byDay.set(item.day, [item]);
      }
      for (const [day, items] of byDay) {
        try {
          const handle = await this.handleFor(day);
          try {
            // The file is open with O_SYNC: the write returns once the batch is on disk, as write + fsync did.
            await handle.write(items.map((i) => i.line).join(''));
          } catch (error) {
            // A handle that failed once is not trusted again: the next batch reopens the file.
            await this.closeFile();
            throw error;
          }
          items.forEach((i) => i.resolve());
        } catch (error) {
          const e = new UnavailableError(
            `could not write events: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
            { cause: error },
          );
          items.forEach((i) => i.reject(e));
        }
      }
    }
    this.flushing = null;
    // Closed after a quiet second, so an idle log (or one its owner forgot) holds no file open.
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      if (!this.flushing) void this.closeFile();
    }, IDLE_CLOSE_MS);
    this.idleTimer.unref();
  }

  /** Wait for pending appends, then close the open file. */
  async close(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    await this.closeFile();
  }

  private async handleFor(day: string): Promise<fs.FileHandle> {
    if (this.open?.day === day) return this.open.handle;
    await this.closeFile();
    // Synchronous appends ('as': O_APPEND | O_SYNC): each batch is one write on libuv's pool, not a write and an fsync.
    const handle = await fs.open(this.fileOf(day), 'as');
    this.open = { day, handle };
    return handle;
  }

  private async closeFile(): Promise<void> {
    const open = this.open;
    this.open = null;
    await open?.handle.close().catch(() => undefined);
  }

  private fileOf(day: string): string {
    return path.join(this.dir, `${day}.jsonl`);
  }

  /** Day files present, oldest first (YYYY-MM-DD). */
  async days(): Promise<string[]> {
    const names = await fs.readdir(this.dir).catch(() => [] as string[]);
    return names
      .filter((n) => /^\d{4}-\d{2}-\d{2}\.jsonl$/.test(n))
      .map((n) => n.slice(0, 10))
      .sort();
  }

  /** Every event between two ISO times (inclusive from, exclusive to), oldest first, a day's file read a piece at a time. */
  async *read(from?: string, to?: string): AsyncGenerator<DeflectEvent> {
    for (const day of await this.days()) {
      if (from && day < from.slice(0, 10)) continue;
      if (to && day > to.slice(0, 10)) continue;
      for await (const event of this.eventsOf(day)) {
        if (from && event.at < from) continue;
        if (to && event.at >= to) continue;
        yield event;
      }
    }
  }

  async readDay(day: string): Promise<DeflectEvent[]> {
    const out: DeflectEvent[] = [];
    for await (const event of this.eventsOf(day)) out.push(event);
    return out;
  }

  /** A day's events in order (none when it has no file). */
  private async *eventsOf(day: string): AsyncGenerator<DeflectEvent> {
    const handle = await fs.open(this.fileOf(day)).catch(() => null);
    if (!handle) return;
    try {
      for await (const line of linesOf(handle)) {
        try {
          yield JSON.parse(line) as DeflectEvent;
        } catch {
          // A line torn by a crash was never acknowledged: skip it.
        }
      }
    } finally {
      await handle.close();
    }
  }

  /**
   * Run `fn` while no append is being written (appends wait, then go out in
   * one batch), so erasure can read and rewrite today's file without losing
   * an event appended meanwhile.
   */
  async exclusive<T>(fn: () => Promise<T>): Promise<T> {
    while (this.flushing) await this.flushing;
    const run = fn();
    this.flushing = run
      .then(
        () => undefined,
        () => undefined,
      )
      .then(() => this.flush());
    return run;
  }

  /** Rewrite one day's file (retention and erasure only), atomically. */
  async rewriteDay(day: string, events: DeflectEvent[]): Promise<void> {
    // The file is replaced by a rename: an open handle would keep appending to the old one.
    if (this.open?.day === day) await this.closeFile();
    await writeFileAtomic(this.fileOf(day), events.map((e) => `${JSON.stringify(e)}\n`).join(''));
  }

  async removeDay(day: string): Promise<void> {
    if (this.open?.day === day) await this.closeFile();
    await fs.rm(this.fileOf(day), { force: true });
  }
}

/** Bytes read from a day's file at a time. */
const READ_PIECE = 1 << 20;

/**
 * The non-empty lines of an open file, read a piece at a time, each decoded
 * from its own bytes. A day's file decoded whole became one two-byte string
 * as soon as any line had a character outside ASCII (every Spanish
 * question), and the array of all its events was parsed before the first
 * was used: 1.6 s for a day of 110,000 events (73 MB), against 0.7-0.8 s a
 * line at a time. (The snapshot's `readTextLines` decodes a megabyte at a
 * time, synchronously: 1.3-1.4 s here.) A line feed is never part of a
 * multi-byte character, so a line's bytes are whole characters.
 */
async function* linesOf(handle: fs.FileHandle): AsyncGenerator<string> {
  let rest: Buffer = Buffer.alloc(0);
  for (;;) {
    const piece = Buffer.allocUnsafe(READ_PIECE);
    const { bytesRead } = await handle.read(piece, 0, READ_PIECE, null);
    const bytes = rest.length ? Buffer.concat([rest, piece.subarray(0, bytesRead)]) : piece.subarray(0, bytesRead);
    let from = 0;
    for (let end = bytes.indexOf(10); end >= 0; end = bytes.indexOf(10, from)) {
      if (end > from) yield bytes.toString('utf8', from, end);
      from = end + 1;
    }
    rest = bytes.subarray(from);
    if (!bytesRead) break;
  }
  // The last line has no line feed only when a crash tore it (or the file is not ours): handed over all the same.
  if (rest.length) yield rest.toString('utf8');
}
