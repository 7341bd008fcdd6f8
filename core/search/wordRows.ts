import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/** The float32 rows of a word-vector table, by row number. */
export interface WordRows {
  row(i: number): Float32Array;
}

/** Rows held in memory, all of them: a view on each. */
export class ResidentRows implements WordRows {
  constructor(
    private readonly values: Float32Array,
    private readonly dimensions: number,
  ) {}

  row(i: number): Float32Array {
    return this.values.subarray(i * this.dimensions, (i + 1) * this.dimensions);
  }
}

/** Rows kept per block of this many, as they are first read: 400 KB of 100-dimension rows. */
const BLOCK_ROWS = 1024;

/**
 * Rows read from their file the first time each is asked for, and kept from
 * then on, packed in the order they were read. A served KB reads the rows of
 * its own words with neighbours (5,112 at 10k articles) and of the words its
 * questions use, a few thousand of the 100,000: keeping all of them cost 40 MB
 * of every server's memory for rows never read. The first read of a row is one
 * `pread` of its 400 bytes (a few µs, from the page cache); later reads are a
 * view, as for resident rows. At most the whole table is ever kept.
 */
export class FileRows implements WordRows {
  private readonly slotOf: Int32Array;
  private readonly blocks: Float32Array[] = [];
  private kept = 0;

  private constructor(
    private readonly fd: number,
    private readonly start: number,
    private readonly dimensions: number,
    count: number,
  ) {
    this.slotOf = new Int32Array(count).fill(-1);
  }

  /** `count` rows of `dimensions` float32s from byte `start` of `file`; throws unless the file ends right after them. */
  static open(file: string, start: number, dimensions: number, count: number): FileRows {
    const fd = openSync(file, 'r');
    if (fstatSync(fd).size !== start + count * dimensions * 4) {
      closeSync(fd);
      throw new Error('word vector cache is truncated or of another format');
    }
    return new FileRows(fd, start, dimensions, count);
  }

  row(i: number): Float32Array {
    let slot = this.slotOf[i]!;
    if (slot < 0) slot = this.read(i);
    const block = this.blocks[Math.floor(slot / BLOCK_ROWS)]!;
    const at = (slot % BLOCK_ROWS) * this.dimensions;
    return block.subarray(at, at + this.dimensions);
  }

  /** How many rows are kept (read at least once). */
  get keptRows(): number {
    return this.kept;
  }

  private read(i: number): number {
    const slot = this.kept;
    if (slot === this.blocks.length * BLOCK_ROWS) this.blocks.push(new Float32Array(BLOCK_ROWS * this.dimensions));
    const block = this.blocks[this.blocks.length - 1]!;
    const bytes = this.dimensions * 4;
    const into = new Uint8Array(block.buffer, block.byteOffset + (slot % BLOCK_ROWS) * bytes, bytes);
    if (readSync(this.fd, into, 0, bytes, this.start + i * bytes) !== bytes)
      throw new Error('word vector cache was cut short while in use');
    this.slotOf[i] = slot;
    this.kept++;
    return slot;
  }
}
