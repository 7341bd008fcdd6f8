import type { VectorItem } from './ports.ts';
import { ScanVectorIndex } from './scanVectorIndex.ts';
import { VectorFileWriter } from './vectorFile.ts';

/**
 * A build's vectors into the vector file and, as they come, into a scan
 * (ScanVectorIndex): quantising a vector costs about what writing it does,
 * so the scan is ready when the embedding ends, on this thread, with no
 * worker (GraphFeed is the graph's counterpart).
 */
export class ScanFeed {
  /** No worker: the scan's time is the embedding stage's. */
  readonly wallMs = null;
  readonly workerCpuMs = null;

  private constructor(
    private readonly file: VectorFileWriter,
    private readonly scan: ScanVectorIndex,
    private readonly count: number,
  ) {}

  static async start(dimensions: number, items: VectorItem[], vectorFile: string): Promise<ScanFeed> {
    return new ScanFeed(
      await VectorFileWriter.open(vectorFile, dimensions),
      ScanVectorIndex.empty(dimensions, items),
      items.length,
    );
  }

  async append(vectors: readonly Float32Array[]): Promise<void> {
    await this.file.append(vectors);
    this.scan.add(vectors);
  }

  async end(): Promise<void> {
    if (this.file.written !== this.count) {
      await this.abort();
      throw new Error(`${this.file.written} vectors written of the ${this.count} announced`);
    }
    await this.file.close();
  }

  async abort(): Promise<void> {
    await this.file.abort();
  }

  /** The scan of every vector appended (its items were given at the start). */
  async index(_items: VectorItem[]): Promise<ScanVectorIndex> {
    return this.scan;
  }
}
