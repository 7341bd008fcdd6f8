import { promises as fs } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../storage/atomicFile.ts';

/** A webhook delivery that failed every attempt, kept to be resent. */
export interface DeadLetter {
  deliveryId: string;
  ticketId: string;
  /** The exact JSON body that was (and will again be) signed and sent. */
  body: string;
  attempts: number;
  lastError: string;
  failedAt: string;
}

/**
 * The dead-letter file (DATA_DIR/webhooks/dead-letter.jsonl): one JSON line
 * per undeliverable ticket, appended with fsync. Every operation on it goes
 * through one queue, so appends and rewrites never interleave; only the
 * process that owns the data directory touches it.
 */
export class DeadLetterFile {
  private chain: Promise<unknown> = Promise.resolve();

  constructor(readonly file: string) {}

  static forDataDir(dataDir: string): DeadLetterFile {
    return new DeadLetterFile(path.join(dataDir, 'webhooks', 'dead-letter.jsonl'));
  }

  append(entry: DeadLetter): Promise<void> {
    return this.exclusive(async () => {
      await fs.mkdir(path.dirname(this.file), { recursive: true });
      const handle = await fs.open(this.file, 'a');
      try {
        await handle.write(`${JSON.stringify(entry)}\n`);
        await handle.sync();
      } finally {
        await handle.close();
      }
    });
  }

  /** Read the entries, let `work` decide which to keep, and write those back, all as one step. */
  update<T>(work: (entries: DeadLetter[]) => Promise<{ keep: DeadLetter[]; result: T }>): Promise<T> {
    return this.exclusive(async () => {
      const entries = await this.readUnlocked();
      const { keep, result } = await work(entries);
      if (keep.length === entries.length && keep.every((e, i) => e === entries[i])) return result;
      if (keep.length) {
        await fs.mkdir(path.dirname(this.file), { recursive: true });
        await writeFileAtomic(this.file, keep.map((e) => `${JSON.stringify(e)}\n`).join(''));
      } else {
        await fs.rm(this.file, { force: true });
      }
      return result;
    });
  }

  read(): Promise<DeadLetter[]> {
    return this.exclusive(() => this.readUnlocked());
  }

  private async readUnlocked(): Promise<DeadLetter[]> {
    const text = await fs.readFile(this.file, 'utf8').catch(() => '');
    const out: DeadLetter[] = [];
    for (const line of text.split('\n')) {
      if (!line) continue;
      try {
        out.push(JSON.parse(line) as DeadLetter);
      } catch {
        // A line torn by a crash mid-append was never acknowledged.
      }
    }
    return out;
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.chain.then(fn);
    this.chain = next.catch(() => undefined);
    return next;
  }
}
