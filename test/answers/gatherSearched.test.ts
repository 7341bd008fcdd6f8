import { expect } from 'chai';
import { Csr, gatherMarked, gatherSearched, SEARCH_RATIO } from '../../core/answers/lexical/csr.ts';

/**
 * Postings of `rows` rows over 3 features: feature 0 in every row, feature 1
 * in about a third, feature 2 in none; values of both signs.
 */
function postings(rows: number): Csr {
  let s = 7;
  const next = (n: number) => (s = (Math.imul(s, 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) % n;
  return Csr.build(
    3,
    Array.from({ length: rows }, (_, row) => {
      const ids = next(3) === 0 ? [0, 1] : [0];
      return { row, vector: { ids: Int32Array.from(ids), w: Float32Array.from(ids, () => (next(2000) - 1000) / 997) } };
    }),
  );
}

const ROWS = 5000;
const csr = postings(ROWS);
const positionsOf = (n: number, positions: Int32Array) => [...positions.subarray(0, n)];

describe('searching a long posting list for a few keys (gatherSearched)', () => {
  it('finds the positions of the marked rows that walking every posting finds, in the same order', () => {
    // Listed rows: the first and last, runs, lone ones, and one past every row (an article watch mode added).
    const keys = Int32Array.of(0, 1, 2, 40, 41, 977, 2048, 3001, 4998, 4999, ROWS + 2);
    const mask = new Uint8Array(ROWS + 3);
    for (const k of keys) mask[k] = 1;
    for (const feature of [0, 1, 2]) {
      const [walked, searched] = [new Int32Array(ROWS), new Int32Array(ROWS)];
      const n = gatherMarked(csr.starts, csr.rows, feature, mask, walked);
      const m = gatherSearched(csr.rows, csr.starts[feature]!, csr.starts[feature + 1]!, mask, searched, keys);
      expect(positionsOf(m, searched), `feature ${feature}`).to.deep.equal(positionsOf(n, walked));
    }
  });

  it('finds each key wherever it falls among the postings skipped 64 at a time, and at the list’s end', () => {
    // Keys every `gap` rows put each key's first posting at every offset of the last 64 skipped; the last keys
    // fall within 64 postings of the list's end, and the feature in a third of the rows has runs without a key.
    for (let gap = 1; gap <= 140; gap += gap < 70 ? 1 : 7) {
      const keys = Int32Array.from({ length: Math.ceil(ROWS / gap) }, (_, i) => i * gap);
      const mask = new Uint8Array(ROWS);
      for (const k of keys) mask[k] = 1;
      for (const feature of [0, 1]) {
        const [walked, searched] = [new Int32Array(ROWS), new Int32Array(ROWS)];
        const n = gatherMarked(csr.starts, csr.rows, feature, mask, walked);
        const m = gatherSearched(csr.rows, csr.starts[feature]!, csr.starts[feature + 1]!, mask, searched, keys);
        expect(positionsOf(m, searched), `gap ${gap}, feature ${feature}`).to.deep.equal(positionsOf(n, walked));
      }
    }
  });

  it('with ranges, finds the marked rows inside the listed keys’ ranges (units, by their article)', () => {
    // Key a's rows are 5a to 5a + 4 (an article's units); every other row is marked (matched units only).
    const ranges = Int32Array.from({ length: ROWS / 5 + 1 }, (_, a) => 5 * a);
    const keys = Int32Array.of(0, 3, 4, 150, 151, 600, 999);
    const mask = new Uint8Array(ROWS);
    for (const a of keys) for (let row = ranges[a]!; row < ranges[a + 1]!; row += 2) mask[row] = 1;
    for (const feature of [0, 1]) {
      const [walked, searched] = [new Int32Array(ROWS), new Int32Array(ROWS)];
      const n = gatherMarked(csr.starts, csr.rows, feature, mask, walked);
      const m = gatherSearched(csr.rows, csr.starts[feature]!, csr.starts[feature + 1]!, mask, searched, keys, ranges);
      expect(positionsOf(m, searched)).to.deep.equal(positionsOf(n, walked));
      expect(m).to.be.above(feature === 0 ? 20 : 2);
    }
  });
});

describe('Csr.accumulateMasked with the marked rows listed', () => {
  // Features out of order: each row's sum adds them in the question's order, whichever way they are read.
  const q = { ids: Int32Array.of(1, 0, 2), w: Float32Array.of(0.75, -0.3, 0.5) };

  it('gives the listed rows the sums of walking every posting, to the last bit', () => {
    const keys = Int32Array.from({ length: 100 }, (_, i) => 37 * i + (i % 5));
    const mask = new Uint8Array(ROWS);
    for (const k of keys) mask[k] = 1;
    const [walked, listed] = [new Float32Array(ROWS), new Float32Array(ROWS)];
    csr.accumulateMasked(q, mask, walked);
    csr.accumulateMasked(q, mask, listed, { rows: keys });
    expect([...listed]).to.deep.equal([...walked]);
    expect(Array.from(keys, (k) => listed[k]).every((x) => x !== 0)).to.equal(true);
  });

  it(`searches a feature with ${SEARCH_RATIO} postings per listed row or more, so a row marked but not listed is not reached`, () => {
    const keys = Int32Array.of(10, 20, 30);
    const mask = new Uint8Array(ROWS);
    for (const k of [...keys, 4000]) mask[k] = 1;
    const out = new Float32Array(ROWS);
    csr.accumulateMasked({ ids: Int32Array.of(0), w: Float32Array.of(1) }, mask, out, { rows: keys });
    expect(out[4000]).to.equal(0);
    expect(Array.from(keys, (k) => out[k]).every((x) => x !== 0)).to.equal(true);
  });
});
