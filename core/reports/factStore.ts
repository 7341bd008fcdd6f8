import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { EventStore, ReportFigures } from '../storage/ports.ts';
import { log } from '../logger.ts';
import { writeFileAtomic } from '../storage/atomicFile.ts';
import { buildDayFacts, type DayFacts } from './dayFacts.ts';
import { decodeFacts, encodeFacts } from './factCodec.ts';

/**
 * Facts per day, from the event log, with a cache for closed days: the facts
 * of a past day are written beside the data once (DATA_DIR/reports/facts) and
 * reused while the day file keeps its size and modification time. A retention
 * run or an erasure rewrites the day file, so its facts are rebuilt. Today's
 * file changes with every question and is always read afresh.
 *
 * Without a cache folder (CLI tools that do not own the data directory) every
 * day is read from the log and nothing is written.
 */
export class FactStore {
  private readonly pending = new Map<string, Promise<DayFacts>>();

  constructor(
    readonly events: EventStore,
    private readonly eventsDir: string,
    private readonly cacheDir: string | null,
    /** Counts the event store computes itself (PostgreSQL): reports that can use them read no facts. */
    readonly figures?: ReportFigures,
  ) {}

  /** For a data directory laid out by createCore: events in DATA_DIR/events, caches in DATA_DIR/reports/facts. */
  static forDataDir(
    events: EventStore,
    dataDir: string,
    options: { cache: boolean; figures?: ReportFigures | undefined },
  ): FactStore {
    return new FactStore(
      events,
      path.join(dataDir, 'events'),
      options.cache ? path.join(dataDir, 'reports', 'facts') : null,
      options.figures,
    );
  }

  days(): Promise<string[]> {
    return this.events.days();
  }

  /** A string that changes whenever any of these days' event files changes (for memoising reports). */
  async fingerprint(days: string[]): Promise<string> {
    // A shared event log (PostgreSQL) has no day files: it says itself what changed.
    if (this.events.fingerprint) return this.events.fingerprint(days);
    const parts = await Promise.all(
      days.map(async (d) => {
        const st = await fs.stat(this.dayFile(d)).catch(() => null);
        return st ? `${d}:${st.size}:${st.mtimeMs}` : `${d}:-`;
      }),
    );
    return parts.join('|');
  }

  /** The facts of one day; `today` (YYYY-MM-DD, UTC) and later days are never cached. */
  load(day: string, today: string): Promise<DayFacts> {
    if (!this.cacheDir || day >= today) return this.fromLog(day);
    let p = this.pending.get(day);
    if (!p) {
      p = this.cached(day).finally(() => this.pending.delete(day));
      this.pending.set(day, p);
    }
    return p;
  }

  /** Forget a day's cached facts (its events were rewritten or removed). */
  async invalidate(day: string): Promise<void> {
    if (this.cacheDir) await fs.rm(this.cacheFile(day), { force: true });
  }

  /** Build the cache for every closed day that lacks one (run in the background after start). */
  async warm(today: string, stop: () => boolean = () => false): Promise<number> {
    // A shared event log (PostgreSQL) has no day files to key a cache on: warming would read every event into
    // this process, hourly, on every instance, and keep nothing. Its deflection rollups are built in the database.
    if (!this.cacheDir || this.events.fingerprint) return 0;
    let built = 0;
    for (const day of await this.days()) {
      if (stop()) break;
      if (day >= today) continue;
      const before = await fs.stat(this.cacheFile(day)).catch(() => null);
      await this.load(day, today);
      if (!before) built++;
      // Give requests a turn between days.
      await new Promise((r) => setImmediate(r));
    }
    return built;
  }

  private async fromLog(day: string): Promise<DayFacts> {
    return buildDayFacts(day, await this.events.readDay(day));
  }

  private async cached(day: string): Promise<DayFacts> {
    const st = await fs.stat(this.dayFile(day)).catch(() => null);
    if (!st) return this.fromLog(day);
    const source = { size: st.size, mtimeMs: st.mtimeMs };
    const file = this.cacheFile(day);
    const bytes = await fs.readFile(file).catch(() => null);
    // A damaged or outdated cache is only a cache: it is rebuilt.
    const hit = bytes ? decodeFacts(bytes) : null;
    if (hit && hit.source.size === source.size && hit.source.mtimeMs === source.mtimeMs) return hit.facts;
    const facts = await this.fromLog(day);
    try {
      await fs.mkdir(this.cacheDir!, { recursive: true });
      await writeFileAtomic(file, encodeFacts(facts, source));
    } catch (error) {
      log.warn('reports', 'could not cache report facts; reading the log each time', { day, error: error as Error });
    }
    return facts;
  }

  private dayFile(day: string): string {
    return path.join(this.eventsDir, `${day}.jsonl`);
  }

  private cacheFile(day: string): string {
    return path.join(this.cacheDir ?? '', `${day}.facts`);
  }
}
