import { mkdtempSync, promises as fs, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import hnswlib from 'hnswlib-node';
import { IndexMismatchError } from '../errors.ts';
import { log } from '../logger.ts';
import { FilterVerdicts } from './filterVerdicts.ts';
import type { VectorHit, VectorIndex, VectorItem } from './ports.ts';

const { HierarchicalNSW } = hnswlib;

/** Search-time breadth. hnswlib resets ef to 10 after readIndex, which quietly ruins recall, so we set it after every load. */
const EF_SEARCH = 200;

/**
 * Vectors in hnswlib (cosine space). Item metadata lives beside the graph in
 * the snapshot, keyed by label, so a search maps straight back to articles.
 */
export class HnswVectorIndex implements VectorIndex {
  readonly kind = 'hnswlib';

  /** Labels taken out by `applyDelta`. */
  private readonly deleted = new Set<number>();

  /** Verdicts of filters seen before, by label. */
  private readonly verdicts = new FilterVerdicts();

  /**
   * Per remembered filter, a copy of the graph in which every vector the
   * filter refuses is marked deleted, searched without a callback (see
   * `filteredGraph`); null where none is kept. Emptied by `applyDelta`.
   */
  private filtered = new WeakMap<(item: VectorItem) => boolean, InstanceType<typeof HierarchicalNSW> | null>();
  private filteredBytes = 0;

  private constructor(
    private readonly index: InstanceType<typeof HierarchicalNSW>,
    private readonly items: VectorItem[],
    readonly dimensions: number,
  ) {
    index.setEf(Math.max(EF_SEARCH, 10));
  }

  static build(dimensions: number, items: VectorItem[], vectors: Float32Array[]): HnswVectorIndex {
    checkDimensions(dimensions, items, vectors);
    const index = buildGraph(
      dimensions,
      Int32Array.from(items, (item) => item.label),
      (i) => vectors[i]!,
    );
    return new HnswVectorIndex(index, items, dimensions);
  }

  /**
   * Load a graph written by `write`; a truncated or foreign file throws, and
   * the caller rebuilds from the KB. `items` may still be on their way:
   * hnswlib reads the file on libuv's pool, so a caller can start this first
   * and read the items (and the rest of its snapshot) meanwhile.
   */
  static async read(
    file: string,
    dimensions: number,
    items: VectorItem[] | Promise<VectorItem[]>,
  ): Promise<HnswVectorIndex> {
    const index = new HierarchicalNSW('cosine', dimensions);
    const stat = await fs.stat(file);
    if (stat.size === 0) throw new IndexMismatchError(`vector index ${file} is empty`);
    await index.readIndex(file);
    const listed = await items;
    if (index.getCurrentCount() !== listed.length) {
      throw new IndexMismatchError(
        `vector index ${file} holds ${index.getCurrentCount()} vectors, its manifest lists ${listed.length}`,
      );
    }
    return new HnswVectorIndex(index, listed, dimensions);
  }

  async write(file: string): Promise<void> {
    await this.index.writeIndex(file);
  }

  size(): number {
    return this.items.length - this.deleted.size;
  }

  /**
   * Take out the vectors of `removed` articles and add `items` (labels past
   * the last one), in place: watch mode's delta (core/indexing/applyDelta.ts).
   * Taken-out vectors stay in the graph, marked deleted, until the next full
   * build, which writes a graph without them.
   */
  applyDelta(removed: ReadonlySet<string>, items: readonly VectorItem[], vectors: readonly Float32Array[]): void {
    checkDimensions(this.dimensions, items as VectorItem[], vectors as Float32Array[]);
    // The copies hold the graph as it was; the next remembered search copies it again.
    this.filtered = new WeakMap();
    this.filteredBytes = 0;
    if (removed.size)
      this.items.forEach((item, label) => {
        if (!removed.has(item.articleId) || this.deleted.has(label)) return;
        this.index.markDelete(label);
        this.deleted.add(label);
      });
    const needed = this.items.length + items.length;
    // Room for this delta and the next few, so a run of edits does not copy the graph each time.
    if (needed > this.index.getMaxElements()) this.index.resizeIndex(Math.max(needed, needed + 1024));
    items.forEach((item, k) => {
      const label = this.items.length;
      this.items.push({ ...item, label });
      this.index.addPoint(Array.from(vectors[k]!), label);
    });
  }

  /**
   * `filter` is called back for every vector the search visits (hundreds per
   * search, each through the addon's boundary): a filter passed again (the
   * same function, as retrieval caches one per audience) answers from the
   * verdicts it gave before, one byte per vector.
   */
  search(vector: Float32Array, k: number, filter?: (item: VectorItem) => boolean): VectorHit[] {
    const n = Math.min(k, this.items.length - this.deleted.size);
    if (n === 0) return [];
    const copy = filter ? this.filteredGraph(filter) : null;
    const accept = filter && !copy ? this.verdicts.acceptor(filter, this.items, this.items.length) : undefined;
    // The addon takes a plain array; Array.from goes through the iterator and took a tenth of the search.
    const query = new Array<number>(vector.length);
    for (let i = 0; i < vector.length; i++) query[i] = vector[i]!;
    const { neighbors, distances } = (copy ?? this.index).searchKnn(query, n, accept);
    return neighbors.map((label, i) => ({ item: this.items[label]!, similarity: 1 - distances[i]! }));
  }

  /**
   * For a filter seen before, the graph copied with the vectors it refuses
   * marked deleted: hnswlib 0.8's search treats a vector marked deleted
   * exactly as one its filter refuses (the same test, at the same step, in
   * `searchBaseLayerST`), so the copy, searched without a filter, gives the
   * very labels, distances and order, without calling back into JavaScript
   * for each of the hundreds of vectors a search visits. Kept only for small
   * graphs (a copy costs the graph's memory again; on a large one the
   * callbacks are a small share of the search), and only for a filter that
   * refuses something: a graph with nothing deleted is searched with
   * another stopping rule.
   */
  private filteredGraph(filter: (item: VectorItem) => boolean): InstanceType<typeof HierarchicalNSW> | null {
    const known = this.filtered.get(filter);
    if (known !== undefined) return known;
    // From its second search on, as the verdicts: a filter made for one search is not copied for.
    if (!this.verdicts.seen(filter)) return null;
    const bytes = this.items.length * this.dimensions * 4;
    let copy: InstanceType<typeof HierarchicalNSW> | null = null;
    const refused: number[] = [];
    this.items.forEach((item, label) => {
      if (!this.deleted.has(label) && !filter(item)) refused.push(label);
    });
    if (
      refused.length > 0 &&
      bytes <= MAX_FILTERED_GRAPH_BYTES &&
      this.filteredBytes + bytes <= MAX_FILTERED_COPY_BYTES
    ) {
      try {
        copy = copyOf(this.index, this.dimensions);
        for (const label of refused) copy.markDelete(label);
        copy.setEf(Math.max(EF_SEARCH, 10));
        this.filteredBytes += bytes;
      } catch (error) {
        // Only a saving is lost (no room in the temp folder, say): the filter is called back as before.
        copy = null;
        log.warn('index', 'could not copy the vector graph for a filter; calling the filter back instead', {
          reason: error instanceof Error ? error.message : String(error),
        });
      }
    }
    this.filtered.set(filter, copy);
    return copy;
  }
}

/**
 * The graph's parameters, for this file and the build's worker (GraphFeed). Searches run at
 * ef 200, which makes a cheaper graph good enough: efConstruction 40 instead
 * of 100 built a 10k-article KB 21 % faster, and 998 of 1,000 questions kept
 * their best article (999 their action; the eval sets did not change at all).
 */
export const GRAPH = { m: 16, efConstruction: 40, randomSeed: 42 };

/**
 * Filtered copies are made for graphs of at most this many bytes of vectors:
 * a copy is written and read back on the event loop (about 50 ms, 23 ms of
 * CPU, for the sample KB's 683 vectors of 1,024 dimensions, 2.8 MB), once
 * per filter and snapshot. A 10k KB's graph (300 MB) gets none, and its
 * searches call the filter back as before.
 */
const MAX_FILTERED_GRAPH_BYTES = 8 * 1024 * 1024;

/**
 * What all filtered copies of one graph may hold together (four of the
 * largest graph copied). Counted over the graph's life: a copy goes with its
 * filter (a WeakMap value) when retrieval drops the filter, but its bytes are
 * not given back, so filters made up by requests (tags) end on the callbacks
 * rather than a stall per new filter. A new snapshot or a delta starts again.
 */
const MAX_FILTERED_COPY_BYTES = 32 * 1024 * 1024;

/**
 * The graph as it is, in a second index: hnswlib-node copies only through a
 * file, written and read back at once (synchronously: an asynchronous write
 * on libuv's pool could race a watch-mode delta resizing the graph).
 */
function copyOf(index: InstanceType<typeof HierarchicalNSW>, dimensions: number): InstanceType<typeof HierarchicalNSW> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'deflect-graph-copy-'));
  try {
    const file = path.join(dir, 'graph.hnsw');
    index.writeIndexSync(file);
    const copy = new HierarchicalNSW('cosine', dimensions);
    copy.readIndexSync(file);
    return copy;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function checkDimensions(dimensions: number, items: VectorItem[], vectors: Float32Array[]): void {
  items.forEach((item, i) => {
    if (vectors[i]!.length !== dimensions)
      throw new IndexMismatchError(
        `vector for ${item.articleId} has ${vectors[i]!.length} dimensions, the index expects ${dimensions}`,
      );
  });
}

/** Insert every vector into a new graph, in label order (hnswBuildWorker.mjs does the same): the seed and the order make the same vectors give the same graph. */
function buildGraph(
  dimensions: number,
  labels: Int32Array,
  vectorAt: (i: number) => Float32Array,
): InstanceType<typeof HierarchicalNSW> {
  const index = new HierarchicalNSW('cosine', dimensions);
  index.initIndex({ maxElements: Math.max(1, labels.length), ...GRAPH });
  for (let i = 0; i < labels.length; i++) index.addPoint(Array.from(vectorAt(i)), labels[i]!);
  return index;
}
