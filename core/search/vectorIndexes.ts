import { GraphFeed } from './hnswGraphFeed.ts';
import { HnswVectorIndex } from './hnswVectorIndex.ts';
import type { Embedder, VectorIndex, VectorItem } from './ports.ts';
import { ScanFeed } from './scanFeed.ts';
import { ScanVectorIndex } from './scanVectorIndex.ts';

/** The two in-process vector indexes: hnswlib's graph, or an exact scan of int8 vectors. */
export type VectorIndexKind = 'hnsw' | 'scan';

/** A snapshot's vector index: written as one file, read back, and changed in place by watch mode's deltas. */
export interface StoredVectorIndex extends VectorIndex {
  write(file: string): Promise<void>;
  applyDelta(removed: ReadonlySet<string>, items: readonly VectorItem[], vectors: readonly Float32Array[]): void;
}

/** What one scan may hold: int8 values of every vector, in one 32-bit WebAssembly memory (see VectorScan). */
const MAX_SCAN_BYTES = 3 * 2 ** 30;

/**
 * The scan for an embedder whose query vectors are sparse (the hashing
 * embedder): its cost per question is the question's non-zero dimensions
 * times the vectors, and it finds the true nearest ones. A dense model's
 * question touches every dimension, where hnswlib's graph visits only a few
 * hundred vectors; the graph too beyond what a scan holds (about 400,000
 * articles of the hashing embedder).
 */
export function vectorIndexKindFor(embedder: Embedder, itemCount: number): VectorIndexKind {
  return embedder.sparseQueries && itemCount * embedder.dimensions <= MAX_SCAN_BYTES ? 'scan' : 'hnsw';
}

export function buildVectorIndex(
  kind: VectorIndexKind,
  dimensions: number,
  items: VectorItem[],
  vectors: Float32Array[],
): StoredVectorIndex {
  return kind === 'scan'
    ? ScanVectorIndex.build(dimensions, items, vectors)
    : HnswVectorIndex.build(dimensions, items, vectors);
}

/** Read a vector index file written by its `write`; a truncated or foreign file throws, and the caller rebuilds. */
export function readVectorIndex(
  kind: VectorIndexKind,
  file: string,
  dimensions: number,
  items: VectorItem[] | Promise<VectorItem[]>,
): Promise<StoredVectorIndex> {
  return kind === 'scan'
    ? ScanVectorIndex.read(file, dimensions, items)
    : HnswVectorIndex.read(file, dimensions, items);
}

/** A build's vectors on their way into the vector file and the vector index (GraphFeed, ScanFeed). */
export interface VectorFeed {
  append(vectors: readonly Float32Array[]): Promise<void>;
  /** Every vector is appended: the file is synced and closed, the index done. */
  end(): Promise<void>;
  /** A build that failed: stop; the files are the caller's to remove. */
  abort(): Promise<void>;
  /** The index, after `end`. */
  index(items: VectorItem[]): Promise<StoredVectorIndex>;
  /** A worker's wall and CPU time, once ended (null without one). */
  readonly wallMs: number | null;
  readonly workerCpuMs: number | null;
}

/** Start feeding a build's `items`' vectors to `vectorFile` and an index of `kind` (a graph is written to `graphFile`). */
export function startVectorFeed(
  kind: VectorIndexKind,
  dimensions: number,
  items: VectorItem[],
  files: { vectors: string; graph: string },
): Promise<VectorFeed> {
  return kind === 'scan'
    ? ScanFeed.start(dimensions, items, files.vectors)
    : GraphFeed.start(dimensions, items.length, files.vectors, files.graph);
}
