import { expect } from 'chai';
import { allRivals, plainRivals } from '../../core/answers/learners/rivals.ts';
import type { SparseVector } from '../../core/answers/learners/softmaxRegression.ts';
import type { Csr } from '../../core/answers/lexical/csr.ts';
import { kb } from '../helpers/rivalsKb.ts';

/** A KB drawn from a seeded generator: a few common features most articles share, and rarer ones. */
function randomKb(articles: number, features: number, seed: number): { postings: Csr; sums: SparseVector[] } {
  const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  return kb(
    Array.from({ length: articles }, () => {
      const ids = new Set<number>();
      const n = Math.min(features, 3 + Math.floor(random() * 25));
      // Skewed towards low ids: those are the common ones.
      while (ids.size < n) ids.add(Math.floor(features * random() ** 3));
      // Insertion order, not sorted: the plain scores add features in that order.
      return { ids: [...ids], w: [...ids].map(() => Math.round(random() * 1000) / 250) };
    }),
    features,
  );
}

describe('allRivals', () => {
  const every = (k: { postings: Csr; sums: SparseVector[] }, size: number) =>
    k.sums.map((_, a) => [...plainRivals(k.postings, k.sums, a, size)]);

  it("gives each article the plain row's rivals, in the same order, on KBs of many shapes", () => {
    for (const [articles, features, seed] of [
      [60, 40, 1],
      [300, 200, 2],
      [500, 2000, 3],
      [400, 30, 4],
    ] as const) {
      const k = randomKb(articles, features, seed);
      expect(allRivals(k.postings, k.sums, 10).map((r) => [...r])).to.deep.equal(every(k, 10));
    }
  });

  it('breaks ties as the plain row does: the article itself first, then the lowest indices', () => {
    // Twelve identical articles: every score but the article's own ties.
    const k = kb(
      Array.from({ length: 12 }, () => ({ ids: [0, 1], w: [1, 2] })),
      2,
    );
    const rivals = allRivals(k.postings, k.sums, 4).map((r) => [...r]);
    expect(rivals).to.deep.equal(every(k, 4));
    expect(rivals[9]).to.deep.equal([9, 0, 1, 2]);
  });

  it('fills the list with articles that share nothing when too few share a feature', () => {
    const k = kb(
      [
        { ids: [0], w: [1] },
        { ids: [0], w: [2] },
        { ids: [1], w: [1] },
        { ids: [2], w: [1] },
        { ids: [3], w: [1] },
        { ids: [4], w: [1] },
      ],
      5,
    );
    expect(allRivals(k.postings, k.sums, 3).map((r) => [...r])).to.deep.equal(every(k, 3));
  });

  it('gives every article when the KB has no more than the list holds', () => {
    const k = randomKb(5, 10, 9);
    expect(allRivals(k.postings, k.sums, 8).map((r) => [...r])).to.deep.equal(k.sums.map(() => [0, 1, 2, 3, 4]));
  });
});
