import { promises as fs } from 'node:fs';
import type { Adapter } from 'lowdb';
import { UnavailableError } from '../errors.ts';
import { log } from '../logger.ts';
import { writeFileAtomic } from './atomicFile.ts';

/**
 * A lowdb adapter that makes a write durable before it resolves (temp file,
 * fsync, rename, fsync folder) and serialises writes, so an acknowledged
 * change survives a crash. lowdb's own JSONFile renames but does not fsync.
 * A file that does not parse is moved aside and reported, never overwritten.
 */
export class DurableJsonFile<T> implements Adapter<T> {
  private chain: Promise<void> = Promise.resolve();
  /** Set when the file was unreadable at start and moved aside. */
  movedAside: string | null = null;

  constructor(private readonly file: string) {}

  async read(): Promise<T | null> {
    let text: string;
    try {
      text = await fs.readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    try {
      return JSON.parse(text) as T;
    } catch (error) {
      const aside = `${this.file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      await fs.rename(this.file, aside);
      this.movedAside = aside;
      log.error('storage', 'database file did not parse; moved aside and starting empty', {
        file: this.file,
        movedTo: aside,
        reason: (error as Error).message,
        bytes: text.length,
      });
      return null;
    }
  }

  write(data: T): Promise<void> {
    const text = JSON.stringify(data);
    const next = this.chain.then(() => writeFileAtomic(this.file, text));
    this.chain = next.catch(() => undefined);
    return next.catch((error: NodeJS.ErrnoException) => {
      throw new UnavailableError(`could not save ${this.file}: ${error.code ?? error.message}`, { cause: error });
    });
  }
}
