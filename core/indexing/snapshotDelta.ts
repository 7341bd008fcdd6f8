import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Article } from '../articles/types.ts';
import type { VectorItem } from '../search/ports.ts';
import { writeFileAtomic } from '../storage/atomicFile.ts';
import { IndexCorruptError, indexRoot } from './snapshot.ts';

/**
 * What changed in the KB since the snapshot `base` was built, as watch mode
 * publishes it (core/indexing/watchDeltas.ts) for the server to apply in
 * place (applyDelta.ts) until the next full build replaces the snapshot.
 * Cumulative: each delta holds every change since `base`, so a server that
 * missed one (or starts late) needs only the last.
 */
export interface SnapshotDelta {
  format: 1;
  /** The snapshot folder's name it applies to; a delta on another base is ignored. */
  base: string;
  /** Grows with each delta on the same base. */
  seq: number;
  createdAt: string;
  /** Articles added or edited since `base`, as parsed. */
  articles: Article[];
  /** Their units (labels are given when applied), and each unit's vector. */
  items: (Omit<VectorItem, 'label'> & { hash: string })[];
  vectors: number[][];
  /** Ids `base` or an earlier delta served that the KB no longer has (deleted, or renamed). */
  removed: string[];
}

/** The delta file, beside CURRENT: one at a time, replaced whole. */
export const DELTA_FILE = 'DELTA';

export function deltaFile(dataDir: string): string {
  return path.join(indexRoot(dataDir), DELTA_FILE);
}

/** Publish `delta`: written beside CURRENT and renamed over the last, so a reader sees one or the other whole. */
export async function writeDelta(dataDir: string, delta: SnapshotDelta): Promise<void> {
  await fs.mkdir(indexRoot(dataDir), { recursive: true });
  await writeFileAtomic(deltaFile(dataDir), JSON.stringify(delta));
}

/** The published delta, or null when there is none. */
export async function readDelta(dataDir: string): Promise<SnapshotDelta | null> {
  let text: string;
  try {
    text = await fs.readFile(deltaFile(dataDir), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    const delta = JSON.parse(text) as SnapshotDelta;
    if (delta.format !== 1 || delta.items.length !== delta.vectors.length) throw new Error('not a delta of format 1');
    return delta;
  } catch (error) {
    throw new IndexCorruptError(`index delta ${deltaFile(dataDir)} is unreadable: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/** Remove the delta (a full build made it part of the snapshot). */
export async function removeDelta(dataDir: string): Promise<void> {
  await fs.rm(deltaFile(dataDir), { force: true });
}
