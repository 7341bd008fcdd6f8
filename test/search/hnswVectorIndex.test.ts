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

describe('HnswVectorIndex.search with a remembered filter (a copy of the graph, refused vectors marked deleted)', () => {
  // Enough vectors that a search at ef 200 is approximate: a copy walked otherwise would find other neighbours.
  const items = Array.from({ length: 4000 }, (_, i) => item(i));
  const vectors = items.map((it) => vector(it.label));
  const index = HnswVectorIndex.build(DIMENSIONS, items, vectors);
  const cases = [
    { description: 'a third of the articles refused', refuses: (a: number) => a % 3 === 0 },
    { description: 'one article refused', refuses: (a: number) => a === 7 },
    { description: 'all but two articles refused', refuses: (a: number) => a !== 4 && a !== 11 },
    { description: 'nothing refused (no copy: searched with the callback)', refuses: () => false },
  ];

  for (const { description, refuses } of cases) {
    it(`gives the labels, similarities and order of the filter called back: ${description}`, () => {
      const allows = (it: VectorItem) => !refuses(Number(it.articleId.slice(1)));
      const remembered = (it: VectorItem) => allows(it);
      index.search(vector(999), 5, remembered);
      for (let q = 0; q < 40; q++)
        for (const k of [1, 10, 40]) {
          const called = index.search(vector(5000 + q), k, (it) => allows(it));
          const copied = index.search(vector(5000 + q), k, remembered);
          expect(hitsOf(copied), `query ${q}, k ${k}`).to.deep.equal(hitsOf(called));
          expect(copied.every((h) => allows(h.item))).to.equal(true);
        }
    });
  }

  it('calls a remembered filter back no more once its copy is made', () => {
    let calls = 0;
    const remembered = (it: VectorItem) => (calls++, Number(it.articleId.slice(1)) % 2 === 0);
    index.search(vector(1), 10, remembered);
    index.search(vector(2), 10, remembered);
    calls = 0;
    for (let q = 0; q < 10; q++) index.search(vector(3000 + q), 10, remembered);
    expect(calls).to.equal(0);
  });

  it('calls the filter back when the graph cannot be copied (no temp folder)', () => {
    const small = HnswVectorIndex.build(
      DIMENSIONS,
      items.slice(0, 500).map((it) => ({ ...it })),
      vectors.slice(0, 500),
    );
    const remembered = (it: VectorItem) => it.articleId !== 'a5';
    const tmp = process.env.TMPDIR;
    process.env.TMPDIR = '/nonexistent/deflect-test';
    try {
      small.search(vector(7), 5, remembered);
      for (let q = 0; q < 10; q++) {
        const hits = small.search(vector(6000 + q), 40, remembered);
        expect(hitsOf(hits)).to.deep.equal(hitsOf(small.search(vector(6000 + q), 40, (it) => remembered(it))));
      }
    } finally {
      if (tmp === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = tmp;
    }
  });

  it('copies the graph again after a delta: vectors taken out stay out, new ones are filtered', () => {
    const grown = HnswVectorIndex.build(
      DIMENSIONS,
      items.slice(0, 500).map((it) => ({ ...it })),
      vectors.slice(0, 500),
    );
    const remembered = (it: VectorItem) => it.articleId !== 'a5' && it.text !== 'refused';
    grown.search(vector(7), 5, remembered);
    grown.search(vector(7), 5, remembered);
    grown.applyDelta(
      new Set(['a9']),
      [
        { label: 0, articleId: 'new', kind: 'title', text: 'kept' },
        { label: 0, articleId: 'new', kind: 'title', text: 'refused' },
      ],
      [vector(2000), vector(2000)],
    );
    const near = grown.search(vector(2000), 40, remembered);
    expect(near.map((h) => h.item.text))
      .to.include('kept')
      .and.not.include('refused');
    for (let q = 0; q < 20; q++) {
      const hits = grown.search(vector(6000 + q), 40, remembered);
      expect(hitsOf(hits)).to.deep.equal(hitsOf(grown.search(vector(6000 + q), 40, (it) => remembered(it))));
      expect(hits.some((h) => h.item.articleId === 'a9' || h.item.articleId === 'a5')).to.equal(false);
    }
  });
});
