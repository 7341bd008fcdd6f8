import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { FollowOptions, PublishedSnapshot, SnapshotPublication } from '../storage/ports.ts';
import { followSnapshots } from './followSnapshots.ts';
import { currentSnapshotDir, describeSnapshot, indexRoot, SNAPSHOT_NAME, switchCurrent } from './snapshot.ts';

/**
 * The embedded publication: DATA_DIR/index/CURRENT, as one process (the
 * server, or the indexer beside it) has always used it. Publishing switches
 * the pointer; following watches it (core/indexing/followSnapshots.ts).
 */
export class LocalSnapshots implements SnapshotPublication {
  readonly kind = 'embedded';
  constructor(private readonly dataDir: string) {}

  async publish(dir: string): Promise<PublishedSnapshot> {
    const name = path.basename(dir);
    if (path.resolve(path.dirname(dir)) !== path.resolve(indexRoot(this.dataDir)))
      throw new Error(`${dir} is not a snapshot folder of ${this.dataDir}`);
    const info = await describeSnapshot(dir);
    // buildIndex has already switched CURRENT to it; switching again is harmless and keeps the port's meaning plain.
    if ((await currentSnapshotDir(this.dataDir)) !== path.join(indexRoot(this.dataDir), name))
      await switchCurrent(this.dataDir, name);
    return info;
  }

  async current(): Promise<PublishedSnapshot | null> {
    const dir = await currentSnapshotDir(this.dataDir);
    return dir ? describeSnapshot(dir) : null;
  }

  async kept(): Promise<PublishedSnapshot[]> {
    const names = (await fs.readdir(indexRoot(this.dataDir)).catch(() => [] as string[]))
      .filter((n) => SNAPSHOT_NAME.test(n))
      .sort()
      .reverse();
    const out: PublishedSnapshot[] = [];
    for (const n of names) {
      const info = await describeSnapshot(path.join(indexRoot(this.dataDir), n)).catch(() => null);
      if (info) out.push(info);
    }
    return out;
  }

  pull(): Promise<string | null> {
    return currentSnapshotDir(this.dataDir);
  }

  follow(initial: string | null, onChange: (dir: string) => Promise<void>, options: FollowOptions = {}) {
    const stop = followSnapshots(this.dataDir, initial, onChange, {
      ...(options.pollMs ? { pollMs: options.pollMs } : {}),
      watch: options.listen ?? true,
    });
    return async () => stop();
  }

  /** One process owns the data directory (its lock): nothing to wait for. */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    return fn();
  }
}
