import { kbStamp, type KnowledgeBase } from '../articles/loadKb.ts';
import type { Embedder, WordVectors } from '../search/ports.ts';
import { vectorIndexKindFor } from '../search/vectorIndexes.ts';
import { calibratedWith, currentSnapshotDir, readManifest, vectorIndexOf, type Manifest } from './snapshot.ts';

/**
 * Is the published snapshot current without reading a single article? Yes
 * when it was built with this embedder and word vectors from the KB folder
 * as it is now, file for file (`kbStamp`). No means "read the articles and
 * ask `isIndexStale`", not that it is stale.
 */
export async function isIndexCurrentByStamp(
  kbDir: string,
  dataDir: string,
  embedder: Embedder,
  wordVectors: WordVectors | null = null,
): Promise<boolean> {
  const dir = await currentSnapshotDir(dataDir).catch(() => null);
  if (!dir) return false;
  try {
    const manifest = await readManifest(dir);
    if (
      manifest.embedder.id !== embedder.id ||
      !calibratedWith(manifest, wordVectors) ||
      !hasItsVectorIndex(manifest, embedder) ||
      !manifest.kbStamp
    )
      return false;
    return manifest.kbStamp === (await kbStamp(kbDir));
  } catch {
    return false;
  }
}

/** Is the published snapshot out of date with the KB folder (or missing)? */
export async function isIndexStale(
  kb: KnowledgeBase,
  dataDir: string,
  embedder: Embedder,
  wordVectors: WordVectors | null = null,
): Promise<boolean> {
  const dir = await currentSnapshotDir(dataDir);
  if (!dir) return true;
  try {
    const manifest = await readManifest(dir);
    if (manifest.embedder.id !== embedder.id) return true;
    if (!hasItsVectorIndex(manifest, embedder)) return true;
    // Calibration was fitted with the model's word vectors: other vectors (or none) need it fitted again.
    if (!calibratedWith(manifest, wordVectors)) return true;
    const ids = Object.keys(manifest.hashes);
    if (ids.length !== kb.articles.length) return true;
    if (JSON.stringify(manifest.synonyms) !== JSON.stringify(kb.synonyms)) return true;
    if (JSON.stringify(manifest.routing ?? null) !== JSON.stringify(kb.routing ?? null)) return true;
    if (JSON.stringify(manifest.sla ?? null) !== JSON.stringify(kb.sla ?? null)) return true;
    return kb.articles.some((a) => manifest.hashes[a.id] !== a.hash);
  } catch {
    return true;
  }
}

/** Does the snapshot hold the vector index this embedder gets now (a graph built before the scan existed: no)? */
function hasItsVectorIndex(manifest: Manifest, embedder: Embedder): boolean {
  return vectorIndexOf(manifest).kind === vectorIndexKindFor(embedder, manifest.itemCount);
}
