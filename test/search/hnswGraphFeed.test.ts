import { expect } from 'chai';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { IndexMismatchError } from '../../core/errors.ts';
import { packVectors } from '../../core/indexing/snapshotVectors.ts';
import { GraphFeed } from '../../core/search/hnswGraphFeed.ts';
import { HnswVectorIndex } from '../../core/search/hnswVectorIndex.ts';
import type { VectorItem } from '../../core/search/ports.ts';
import { tempDir } from '../helpers/tempDir.ts';

const DIMENSIONS = 16;

/** A deterministic vector per seed (not unit length: the graph's cosine space normalises it). */
function vector(seed: number): Float32Array {
  let s = seed + 1;
  return Float32Array.from(
    { length: DIMENSIONS },
    () => (s = (Math.imul(s, 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32 - 0.5,
  );
}

const item = (label: number): VectorItem => ({
  label,
  articleId: `a${label >> 2}`,
  kind: 'question',
  text: `q${label}`,
});

describe('GraphFeed: the graph built on a worker from the vector file as it is written', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => (dir = tempDir()));
  afterEach(() => dir.cleanup());

  it('writes the vector file packVectors writes, and the very graph `build` makes from the same vectors', async () => {
    const vectors = Array.from({ length: 700 }, (_, i) => vector(i));
    const files = { vectors: path.join(dir.dir, 'v.f32'), graph: path.join(dir.dir, 'g.hnsw') };
    const feed = await GraphFeed.start(DIMENSIONS, vectors.length, files.vectors, files.graph);
    // Runs of every size, as a build's batches come (the worker reads up to 256 at a time).
    for (const [from, to] of [
      [0, 1],
      [1, 8],
      [8, 8],
      [8, 300],
      [300, 700],
    ] as const)
      await feed.append(vectors.slice(from, to));
    await feed.end();

    expect(readFileSync(files.vectors).equals(Buffer.from(packVectors(vectors, DIMENSIONS)))).to.equal(true);
    const plain = path.join(dir.dir, 'plain.hnsw');
    await HnswVectorIndex.build(
      DIMENSIONS,
      vectors.map((_, i) => item(i)),
      vectors,
    ).write(plain);
    expect(readFileSync(files.graph).equals(readFileSync(plain))).to.equal(true);
  });

  it('refuses a vector of other dimensions as a mismatch, writing nothing of it', async () => {
    const files = { vectors: path.join(dir.dir, 'v.f32'), graph: path.join(dir.dir, 'g.hnsw') };
    const feed = await GraphFeed.start(DIMENSIONS, 2, files.vectors, files.graph);
    await feed.append([vector(0)]);
    let failure: unknown;
    await feed.append([new Float32Array(DIMENSIONS + 1)]).catch((error: unknown) => (failure = error));
    await feed.abort();
    expect(failure).to.be.instanceOf(IndexMismatchError);
    expect(readFileSync(files.vectors).length).to.equal(DIMENSIONS * 4);
    expect(existsSync(files.graph)).to.equal(false);
  });

  it('fails at the end when fewer vectors came than were announced, and leaves no graph', async () => {
    const files = { vectors: path.join(dir.dir, 'v.f32'), graph: path.join(dir.dir, 'g.hnsw') };
    const feed = await GraphFeed.start(DIMENSIONS, 3, files.vectors, files.graph);
    await feed.append([vector(0), vector(1)]);
    let failure: Error | undefined;
    await feed.end().catch((error: Error) => (failure = error));
    expect(failure?.message).to.match(/2 vectors written of the 3 announced/);
    expect(existsSync(files.graph)).to.equal(false);
  });
});
