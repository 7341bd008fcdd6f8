import { watch, mkdirSync, type FSWatcher } from 'node:fs';
import path from 'node:path';
import { log } from '../logger.ts';
import { applyDelta, DeltaState } from './applyDelta.ts';
import type { KbIndex } from './kbIndex.ts';
import { DELTA_FILE, readDelta, type SnapshotDelta } from './snapshotDelta.ts';
import { indexRoot } from './snapshot.ts';

/**
 * Serve watch mode's deltas (snapshotDelta.ts) on top of the snapshot they
 * were made on, so an edited article is answerable within a second or two
 * instead of after a full build and load. A delta on another snapshot is
 * ignored: the full build that follows it is served whole (`rebase`).
 * Watches the index folder for DELTA, with a poll where fs events are unreliable.
 */
export class DeltaFollower {
  private state = new DeltaState();
  private seq = -1;
  private checking = false;
  private again = false;
  private watcher: FSWatcher | null = null;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly dataDir: string,
    private base: KbIndex,
    /** Serve `index`, the base with `delta` applied. */
    private readonly serve: (index: KbIndex, delta: SnapshotDelta) => void,
    { pollMs = 1000, watch: useWatch = true }: { pollMs?: number; watch?: boolean } = {},
  ) {
    const root = indexRoot(dataDir);
    mkdirSync(root, { recursive: true });
    try {
      if (useWatch)
        this.watcher = watch(root, (_event, name) => {
          if (name === DELTA_FILE) void this.check();
        });
    } catch {
      this.watcher = null;
    }
    this.timer = setInterval(() => void this.check(), pollMs);
    this.timer.unref();
    void this.check();
  }

  /** A full snapshot is served now: deltas apply to it from here on (one made on it may be waiting already). */
  rebase(index: KbIndex): void {
    this.base = index;
    this.state = new DeltaState();
    this.seq = -1;
    void this.check();
  }

  stop(): void {
    this.watcher?.close();
    clearInterval(this.timer);
  }

  /** Apply the published delta when it is newer than the one served and made on the served base. */
  async check(): Promise<void> {
    if (this.checking) {
      this.again = true;
      return;
    }
    this.checking = true;
    try {
      do {
        this.again = false;
        const delta = await readDelta(this.dataDir).catch((error: Error) => {
          log.warn('index', 'the index delta is unreadable; serving the last good state', { error: error.message });
          return null;
        });
        const base = this.base;
        if (!delta || !base.snapshotDir || delta.base !== path.basename(base.snapshotDir) || delta.seq <= this.seq)
          continue;
        const started = performance.now();
        const next = applyDelta(base, delta, this.state);
        this.seq = delta.seq;
        this.serve(next, delta);
        log.info('index', 'serving an index delta', {
          base: delta.base,
          seq: delta.seq,
          articles: delta.articles.length,
          removed: delta.removed.length,
          applyMs: Math.round(performance.now() - started),
        });
      } while (this.again);
    } catch (error) {
      log.warn('index', 'could not apply the index delta; serving the last good state', { error });
    } finally {
      this.checking = false;
    }
  }
}
