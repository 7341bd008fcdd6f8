import type { Article } from '../articles/types.ts';
import { termDocOf } from '../answers/lexical/termModel.ts';
import { HnswVectorIndex } from '../search/hnswVectorIndex.ts';
import { ScanVectorIndex } from '../search/scanVectorIndex.ts';
import { DeferredFullTextIndex } from '../search/deferredFullTextIndex.ts';
import { MiniSearchIndex } from '../search/miniSearchIndex.ts';
import { searchDocumentOf } from './buildIndex.ts';
import { centroidsOf, type KbIndex } from './kbIndex.ts';
import type { SnapshotDelta } from './snapshotDelta.ts';

/**
 * What the base index's graph and full-text index hold of the deltas applied
 * so far (they change in place): each article's delta hash, or null once
 * taken out. One per base index; a new base starts a new one.
 */
export class DeltaState {
  readonly applied = new Map<string, string | null>();
}

/**
 * The base index with watch mode's delta applied: edited and added articles
 * served, removed ones gone, every other article as the base serves it. The
 * graph and the full-text index of `base` change in place (only where the
 * delta differs from what `state` says they hold); the articles, centroids
 * and lexical model are new objects made from the base's, so the delta's
 * statistics (idf, calibration) stay the base's until a full build.
 */
export function applyDelta(base: KbIndex, delta: SnapshotDelta, state: DeltaState): KbIndex {
  const upserts = new Map(delta.articles.map((a) => [a.id, a]));
  const removed = new Set(delta.removed.filter((id) => !upserts.has(id)));
  const vectors = delta.vectors.map((v) => Float32Array.from(v));
  const items = delta.items.map((item, i) => ({ ...item, label: i }));

  // In place, where this delta differs from what they hold: the edited articles' old units go, their new ones come.
  const changed: Article[] = [...upserts.values()].filter((a) => state.applied.get(a.id) !== a.hash);
  const takenOut = new Set([
    ...changed.map((a) => a.id),
    ...[...removed].filter((id) => state.applied.get(id) !== null),
  ]);
  const changedIds = new Set(changed.map((a) => a.id));
  const added = items.flatMap((item, i) => (changedIds.has(item.articleId) ? [{ item, vector: vectors[i]! }] : []));
  if (
    !(base.vectors instanceof HnswVectorIndex || base.vectors instanceof ScanVectorIndex) ||
    !(base.fullText instanceof MiniSearchIndex || base.fullText instanceof DeferredFullTextIndex)
  )
    throw new Error(`a delta applies to the in-process indexes, not to ${base.vectors.kind} and ${base.fullText.kind}`);
  base.vectors.applyDelta(
    takenOut,
    added.map((x) => x.item),
    added.map((x) => x.vector),
  );
  base.fullText.applyDelta(changed.map(searchDocumentOf), takenOut);
  for (const a of changed) state.applied.set(a.id, a.hash);
  for (const id of removed) state.applied.set(id, null);

  // New objects from the base's: which articles there are, their centroids, and the lexical model.
  const articles = new Map(base.articles);
  const hashes = { ...base.manifest.hashes };
  for (const id of removed) {
    articles.delete(id);
    delete hashes[id];
  }
  const centroids = base.centroids.with(centroidsOf(items, vectors, base.manifest.embedder.dimensions), removed);
  for (const a of upserts.values()) {
    articles.set(a.id, a);
    hashes[a.id] = a.hash;
  }
  return {
    ...base,
    manifest: { ...base.manifest, articleCount: articles.size, hashes },
    articles,
    centroids,
    terms: base.terms.withArticles([...upserts.values()].map(termDocOf), removed),
  };
}
