import { expect } from 'chai';
import { centroidsOf, StreamedCentroids } from '../../core/indexing/centroidSums.ts';
import { ArticleCentroids } from '../../core/search/articleCentroids.ts';
import type { VectorItem } from '../../core/search/ports.ts';

const DIMENSIONS = 24;

/** A deterministic vector with some zero dimensions, as the hashing embedder's are. */
function vector(seed: number): Float32Array {
  let s = seed + 1;
  return Float32Array.from({ length: DIMENSIONS }, (_, d) => {
    s = (Math.imul(s, 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return d % 5 === (seed & 3) ? 0 : s / 2 ** 32 - 0.5;
  });
}

/** Articles listed one after another, as a build lists their items: few questions, many, none but chunks. */
function itemsOf(shape: { id: string; questions: number; chunks: number }[]): VectorItem[] {
  const items: VectorItem[] = [];
  for (const a of shape) {
    const kinds: VectorItem['kind'][] = ['title', ...Array<'question'>(a.questions).fill('question')];
    for (let c = 0; c < a.chunks; c++) kinds.push('chunk');
    for (const kind of kinds) items.push({ label: items.length, articleId: a.id, kind, text: '' });
  }
  return items;
}

describe('StreamedCentroids: article centroids summed as the vectors come', () => {
  it('are the sparse form of centroidsOf, to the last bit, in the same order', () => {
    const items = itemsOf([
      { id: 'few', questions: 1, chunks: 3 },
      { id: 'many', questions: 5, chunks: 2 },
      { id: 'title-only', questions: 0, chunks: 0 },
      { id: 'chunks', questions: 0, chunks: 4 },
      { id: 'three', questions: 3, chunks: 1 },
    ]);
    const vectors = items.map((_, i) => vector(i));
    const streamed = new StreamedCentroids(DIMENSIONS);
    items.forEach((item, i) => streamed.add(item, vectors[i]!));

    const expected = ArticleCentroids.from(centroidsOf(items, vectors, DIMENSIONS)).parts();
    const got = streamed.finish().parts();
    expect(got.ids).to.deep.equal(expected.ids);
    expect(got.dimensions).to.equal(expected.dimensions);
    expect(got.starts).to.deep.equal(expected.starts);
    expect(got.dims).to.be.instanceOf(expected.dims.constructor);
    expect(got.dims).to.deep.equal(expected.dims);
    expect(new Uint32Array(got.values.buffer, 0, got.values.length)).to.deep.equal(
      new Uint32Array(expected.values.buffer, 0, expected.values.length),
    );
  });

  it('grow past their first arrays (thousands of articles)', () => {
    const items = itemsOf(Array.from({ length: 1500 }, (_, a) => ({ id: `a${a}`, questions: a % 6, chunks: 1 })));
    const vectors = items.map((_, i) => vector(i));
    const streamed = new StreamedCentroids(DIMENSIONS);
    items.forEach((item, i) => streamed.add(item, vectors[i]!));
    const expected = ArticleCentroids.from(centroidsOf(items, vectors, DIMENSIONS)).parts();
    const got = streamed.finish().parts();
    expect(got.starts).to.deep.equal(expected.starts);
    expect(got.values).to.deep.equal(expected.values);
  });

  it('are none for no article, as from an empty map', () => {
    expect(new StreamedCentroids(DIMENSIONS).finish().parts()).to.deep.equal(ArticleCentroids.from(new Map()).parts());
  });

  it("refuse an article's vectors once another article's came between them", () => {
    const streamed = new StreamedCentroids(DIMENSIONS);
    streamed.add({ articleId: 'a', kind: 'title' }, vector(0));
    streamed.add({ articleId: 'b', kind: 'title' }, vector(1));
    expect(() => streamed.add({ articleId: 'a', kind: 'chunk' }, vector(2))).to.throw(/not together/);
  });
});
