import { expect } from 'chai';
import { TopK } from '../../core/search/topK.ts';

/** A deterministic stream of similarities with many ties (a few distinct values), as int8 dot products give. */
function similarities(n: number, seed: number): number[] {
  let x = seed;
  return Array.from({ length: n }, () => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return ((x >>> 16) % 7) / 7 - 0.3;
  });
}

describe('TopK', () => {
  const cases = [
    { n: 0, k: 5, description: 'nothing offered' },
    { n: 3, k: 5, description: 'fewer than k' },
    { n: 683, k: 40, description: 'the sample KB’s vectors, k 40' },
    { n: 5000, k: 1, description: 'the best one' },
  ];
  for (const c of cases)
    it(`keeps the k best, best first, ties by the earlier label, as sorting them all gives (${c.description})`, () => {
      const sims = similarities(c.n, c.n + c.k);
      const top = new TopK(c.k);
      sims.forEach((s, label) => {
        // As the scan offers rows: once full, only a pair better than the worst kept.
        if (!top.full || s > top.worst) top.push(s, label);
      });
      const expected = sims
        .map((similarity, label) => ({ similarity, label }))
        .sort((a, b) => b.similarity - a.similarity || a.label - b.label)
        .slice(0, c.k);
      expect(top.sorted()).to.deep.equal(expected);
    });
});
