import { Worker } from 'node:worker_threads';
import { cpuMsOfStat } from '../threadCpu.ts';
import { GRAPH, HnswVectorIndex } from './hnswVectorIndex.ts';
import type { VectorItem } from './ports.ts';
import { VectorFileWriter } from './vectorFile.ts';

/**
 * A build's vectors, written to a file one run after another (vectors.f32's
 * layout: every vector in label order) while a worker thread inserts them
 * into the HNSW graph, reading each run back from that file
 * (hnswBuildWorker.mjs). The graph is the one `HnswVectorIndex.build` makes
 * from the same vectors; no thread holds the vectors whole (they were held
 * three times before: the embedder's arrays, a shared copy for the worker
 * and one for vectors.f32, 287 MB each at 10k articles), and the graph
 * grows while the embedding goes on.
 */
export class GraphFeed {
  private readonly started = performance.now();
  /** From the start to the worker's exit, once `end` resolved. */
  wallMs: number | null = null;
  /** The worker thread's own CPU time, sent as it finishes (null off Linux). */
  workerCpuMs: number | null = null;

  private constructor(
    private readonly file: VectorFileWriter,
    private readonly worker: Worker,
    private readonly exited: Promise<void>,
    private readonly dimensions: number,
    private readonly count: number,
    private readonly graphFile: string,
  ) {}

  /** Start a worker building the graph of `count` vectors into `graphFile` from `vectorFile`, created empty here. */
  static async start(dimensions: number, count: number, vectorFile: string, graphFile: string): Promise<GraphFeed> {
    const file = await VectorFileWriter.open(vectorFile, dimensions);
    const worker = new Worker(new URL('./hnswBuildWorker.mjs', import.meta.url), {
      workerData: { dimensions, count, vectorFile, graphFile, params: GRAPH },
    });
    const exited = new Promise<void>((resolve, reject) => {
      worker.once('error', reject);
      worker.once('exit', (code) =>
        code === 0 ? resolve() : reject(new Error(`the vector index worker exited with code ${code}`)),
      );
    });
    // Awaited by `end`; until then a failure must not count as unhandled.
    exited.catch(() => undefined);
    const feed = new GraphFeed(file, worker, exited, dimensions, count, graphFile);
    worker.on(
      'message',
      (message: { stat?: string | null }) => (feed.workerCpuMs = message.stat ? cpuMsOfStat(message.stat) : null),
    );
    return feed;
  }

  /** Append the next vectors (labels `written`, `written + 1`, …) to the file, then offer them to the worker. */
  async append(vectors: readonly Float32Array[]): Promise<void> {
    if (!vectors.length) return;
    await this.file.append(vectors);
    this.worker.postMessage({ available: this.file.written });
  }

  /** Tell the worker every vector is written, close the file (synced) and wait for the graph; rejects when it failed. */
  async end(): Promise<void> {
    if (this.file.written !== this.count) {
      await this.abort();
      throw new Error(`${this.file.written} vectors written of the ${this.count} announced`);
    }
    // At once: the caller goes on with long synchronous work, and the worker writes the graph meanwhile.
    this.worker.postMessage({ end: this.file.written });
    await this.file.close();
    await this.exited;
    this.wallMs = performance.now() - this.started;
  }

  /** Stop the worker (a build that failed before `end`); the files are the caller's to remove. */
  async abort(): Promise<void> {
    await this.file.abort();
    await this.worker.terminate();
  }

  /** The graph the worker wrote, read back with its items. */
  index(items: VectorItem[]): Promise<HnswVectorIndex> {
    return HnswVectorIndex.read(this.graphFile, this.dimensions, items);
  }
}
