import { watch, type FSWatcher } from 'node:fs';
import { mkdirSync } from 'node:fs';
import { currentSnapshotDir, indexRoot } from './snapshot.ts';

/**
 * Call `onChange(dir)` whenever another process (the indexer, in watch mode
 * or run by hand) publishes a new snapshot, so the server serves edited
 * articles without a restart. Watches the index folder for CURRENT being
 * replaced, with a slow poll as a safety net where fs events are unreliable.
 */
export function followSnapshots(
  dataDir: string,
  initial: string | null,
  onChange: (dir: string) => Promise<void>,
  { pollMs = 2000, watch: useWatch = true }: { pollMs?: number; watch?: boolean } = {},
): () => void {
  let current = initial;
  let checking = false;
  let again = false;
  const check = async () => {
    if (checking) {
      again = true;
      return;
    }
    checking = true;
    try {
      do {
        again = false;
        const dir = await currentSnapshotDir(dataDir).catch(() => null);
        if (dir && dir !== current) {
          await onChange(dir);
          current = dir;
        }
      } while (again);
    } catch {
      // a half-visible publish: the next event or poll retries
    } finally {
      checking = false;
    }
  };
  const root = indexRoot(dataDir);
  mkdirSync(root, { recursive: true });
  let watcher: FSWatcher | null = null;
  try {
    if (useWatch)
      watcher = watch(root, (_event, name) => {
        if (name === 'CURRENT') void check();
      });
  } catch {
    watcher = null;
  }
  const timer = setInterval(() => void check(), pollMs);
  timer.unref();
  return () => {
    watcher?.close();
    clearInterval(timer);
  };
}
