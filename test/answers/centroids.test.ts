import { expect } from 'chai';
import { Centroids } from '../../core/answers/lexical/centroids.ts';
import type { SparseVector } from '../../core/answers/learners/softmaxRegression.ts';

/** A unit-length sparse vector over features 0..3. */
function unit(...w: number[]): SparseVector {
  const norm = Math.hypot(...w);
  const ids = w.flatMap((x, id) => (x ? [id] : []));
  return { ids: Int32Array.from(ids), w: Float32Array.from(ids, (id) => w[id]! / norm) };
}

const FEATURES = 4;
const vectors = [unit(1, 1, 0, 0), unit(1, 0, 1, 0), unit(0, 0, 1, 1), unit(0, 1, 0, 1), unit(0, 0, 0, 1)];
const units = [
  { article: 0, matched: true },
  { article: 0, matched: true },
  { article: 0, matched: false },
  { article: 1, matched: true },
  { article: 1, matched: true },
];
const q = unit(1, 0, 1, 1);

function scores(centroids: Centroids, leaveOut?: { unit: number; article: number; similarity: number }): number[] {
  const out = new Float32Array(2);
  centroids.score(q, out, leaveOut);
  return [...out];
}

describe('article centroids', () => {
  const centroids = Centroids.build(FEATURES, 2, vectors, units);

  it('give the cosine of a question to the sum of each article’s matched units', () => {
    const sum0 = [1 / Math.SQRT2 + 1 / Math.SQRT2, 1 / Math.SQRT2, 1 / Math.SQRT2, 0];
    const expected = (sum0[0]! * 1 + sum0[2]! * 1) / Math.hypot(...sum0) / Math.sqrt(3);
    expect(scores(centroids)[0]).to.be.closeTo(expected, 1e-6);
  });

  it('score a unit left out exactly as centroids built without it', () => {
    const without = Centroids.build(FEATURES, 2, vectors, [
      units[0]!,
      units[1]!,
      units[2]!,
      units[3]!,
      { article: 1, matched: false },
    ]);
    const similarity = [...vectors[4]!.ids].reduce(
      (s, id, k) => s + vectors[4]!.w[k]! * (id === 3 ? 1 / Math.sqrt(3) : 0),
      0,
    );
    const left = scores(centroids, { unit: 4, article: 1, similarity });
    expect(left[1]).to.be.closeTo(scores(without)[1]!, 1e-6);
    expect(left[0]).to.equal(scores(centroids)[0]);
  });

  it('measure two articles as near-duplicates by the cosine of their centroids', () => {
    expect(centroids.cosine(0, 0)).to.be.closeTo(1, 1e-6);
    expect(centroids.cosine(0, 1)).to.be.within(0, 1);
    expect(centroids.cosine(0, 1)).to.equal(centroids.cosine(1, 0));
  });
});
