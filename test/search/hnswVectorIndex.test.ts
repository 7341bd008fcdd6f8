import { expect } from 'chai';
import { HnswVectorIndex } from '../../core/search/hnswVectorIndex.ts';
import type { VectorItem } from '../../core/search/ports.ts';

const DIMENSIONS = 16;

/** A deterministic unit vector per seed. */
function vector(seed: number): Float32Array {
  let s = seed + 1;
  const v = Float32Array.from(
    { length: DIMENSIONS },
    () => (s = (Math.imul(s, 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32 - 0.5,
  );
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}

const item = (label: number): VectorItem => ({
  label,
  articleId: `a${label % 30}`,
  kind: 'question',
  text: `q${label}`,
});
const hitsOf = (hits: { item: VectorItem; similarity: number }[]) => hits.map((h) => [h.item.label, h.similarity]);

describe('HnswVectorIndex.search with a filter', () => {
  const items = Array.from({ length: 300 }, (_, i) => item(i));
  const index = HnswVectorIndex.build(
    DIMENSIONS,
    items,
    items.map((it) => vector(it.label)),
  );
  const allowed = new Set(Array.from({ length: 30 }, (_, a) => `a${a}`).filter((_, a) => a % 3 !== 0));

  it('finds the same neighbours with a filter passed again (its verdicts remembered) as with a new one each time', () => {
    const cached = (it: VectorItem) => allowed.has(it.articleId);
    for (let q = 0; q < 20; q++) {
      const fresh = index.search(vector(1000 + q), 10, (it) => allowed.has(it.articleId));
      const again = index.search(vector(1000 + q), 10, cached);
      expect(hitsOf(again)).to.deep.equal(hitsOf(fresh));
      expect(again.every((h) => allowed.has(h.item.articleId))).to.equal(true);
    }
  });

  it('asks a remembered filter about vectors added since (watch mode)', () => {
    const grown = HnswVectorIndex.build(
      DIMENSIONS,
      items.map((it) => ({ ...it })),
      items.map((it) => vector(it.label)),
    );
    const cached = (it: VectorItem) => it.articleId !== 'new' || it.text === 'kept';
    grown.search(vector(7), 5, cached);
    grown.search(vector(7), 5, cached);
    grown.applyDelta(
      new Set(),
      [
        { label: 0, articleId: 'new', kind: 'title', text: 'kept' },
        { label: 0, articleId: 'new', kind: 'title', text: 'refused' },
      ],
      [vector(2000), vector(2000)],
    );
    const hits = grown.search(vector(2000), 3, cached);
    expect(hits.map((h) => h.item.text))
      .to.include('kept')
      .and.not.include('refused');
  });
});
