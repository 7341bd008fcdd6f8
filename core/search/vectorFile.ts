import { promises as fs } from 'node:fs';
import { IndexMismatchError } from '../errors.ts';

/**
 * A build's vector file (vectors.f32's layout: every vector in label order),
 * written one run after another as the embedding goes on, so that no thread
 * holds the vectors whole (287 MB at 10k articles).
 */
export class VectorFileWriter {
  /** Vectors written so far. */
  written = 0;

  private constructor(
    private readonly handle: fs.FileHandle,
    private readonly dimensions: number,
  ) {}

  /** Create `file` empty. */
  static async open(file: string, dimensions: number): Promise<VectorFileWriter> {
    return new VectorFileWriter(await fs.open(file, 'w'), dimensions);
  }

  /** Append the next vectors (labels `written`, `written + 1`, …); a vector of other dimensions is refused, none of the run written. */
  async append(vectors: readonly Float32Array[]): Promise<void> {
    if (!vectors.length) return;
    const run = new Float32Array(vectors.length * this.dimensions);
    vectors.forEach((v, k) => {
      if (v.length !== this.dimensions)
        throw new IndexMismatchError(
          `vector ${this.written + k} has ${v.length} dimensions, the index expects ${this.dimensions}`,
        );
      run.set(v, k * this.dimensions);
    });
    await this.handle.write(new Uint8Array(run.buffer));
    this.written += vectors.length;
  }

  /** Sync and close the file. */
  async close(): Promise<void> {
    try {
      await this.handle.sync();
    } finally {
      await this.handle.close();
    }
  }

  /** Close without syncing (a build that failed); the file is the caller's to remove. */
  async abort(): Promise<void> {
    await this.handle.close().catch(() => undefined);
  }
}
