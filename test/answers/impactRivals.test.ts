import { expect } from 'chai';
import { impactRivals } from '../../core/answers/learners/impactRivals.ts';
import { allRivals, classifierRivals, plainRivals } from '../../core/answers/learners/rivals.ts';
import { kb, topicalKb, type Kb } from '../helpers/rivalsKb.ts';

const exactOf = (k: Kb, size: number) => k.sums.map((_, a) => [...plainRivals(k.postings, k.sums, a, size)]);

/** Share of each article's exact rivals (itself aside) that `lists` hold. */
function recall(exact: number[][], lists: Int32Array[]): number {
  let found = 0;
  let total = 0;
  exact.forEach((list, a) => {
    const mine = new Set(lists[a]);
    for (const b of list) if (b !== a) (total++, mine.has(b) && found++);
  });
  return found / total;
}

describe('impactRivals', () => {
  it("gives the exact lists, in the exact search's order, when the budget covers every posting", () => {
    const k = topicalKb(300, 40, 3);
    const lists = impactRivals(k.postings, k.sums, 10, { reads: 1e9, pool: 64 });
    expect(lists.map((r) => [...r])).to.deep.equal(exactOf(k, 10));
  });

  it('finds nearly all the exact rivals reading a small share of the postings', () => {
    const k = topicalKb(600, 200, 5);
    const reads = 1000;
    // The exact search reads, per article, every posting of each of its features: Σ df² / articles.
    const { starts } = k.postings;
    let exactReads = 0;
    for (let f = 0; f + 1 < starts.length; f++) exactReads += (starts[f + 1]! - starts[f]!) ** 2 / k.sums.length;
    expect(reads * 50).to.be.below(exactReads);
    const lists = impactRivals(k.postings, k.sums, 6, { reads, pool: 16 });
    expect(recall(exactOf(k, 6), lists)).to.be.at.least(0.9);
  });

  it('gives each article itself and k − 1 others, once each, ordered as the exact lists are', () => {
    const k = topicalKb(400, 100, 7);
    const lists = impactRivals(k.postings, k.sums, 6, { reads: 800, pool: 12 });
    lists.forEach((list, a) => {
      expect(list.length).to.equal(6);
      expect(new Set(list).size).to.equal(6);
      expect([...list]).to.include(a);
    });
    // Where the candidates held every exact rival, the list is the exact one, order included.
    const exact = exactOf(k, 6);
    const same = lists.filter((list, a) => exact[a]!.every((b) => list.includes(b)));
    expect(same.length).to.be.above(0);
    lists.forEach((list, a) => {
      if (exact[a]!.every((b) => list.includes(b))) expect([...list]).to.deep.equal(exact[a]);
    });
  });

  it("finds an article's near-duplicate however little of the budget is left for it", () => {
    const base = topicalKb(200, 60, 11);
    // Article 200 is article 17 again with one weight nudged: its closest rival by far, and 17's.
    const twin = { ids: [...base.sums[17]!.ids], w: [...base.sums[17]!.w].map((w, i) => (i ? w : w * 1.01)) };
    const k = kb([...base.sums.map((s) => ({ ids: [...s.ids], w: [...s.w] })), twin], base.postings.starts.length - 1);
    const lists = impactRivals(k.postings, k.sums, 5, { reads: 200, pool: 8 });
    expect([...lists[200]!]).to.include(17);
    expect([...lists[17]!]).to.include(200);
  });

  it('reads the heaviest postings of a common feature first', () => {
    // 300 articles share feature 0, lightly but for the last two, which weigh most in it: each other's rival.
    const k = kb(
      Array.from({ length: 300 }, (_, a) => ({ ids: [0, 1 + a], w: [a >= 298 ? 5 : 0.01 + a / 1e4, 0.001] })),
      301,
    );
    const lists = impactRivals(k.postings, k.sums, 3, { reads: 20, pool: 4 });
    expect([...lists[298]!]).to.include(299);
    expect([...lists[299]!]).to.include(298);
    expect(recall(exactOf(k, 3), lists)).to.be.above(0.99);
  });

  it('fills a list with articles sharing nothing when too few share a feature', () => {
    const k = kb(
      [
        { ids: [0], w: [1] },
        { ids: [0], w: [2] },
        { ids: [1], w: [1] },
        { ids: [2], w: [1] },
        { ids: [3], w: [1] },
      ],
      4,
    );
    expect(impactRivals(k.postings, k.sums, 3, { reads: 1, pool: 4 }).map((r) => [...r])).to.deep.equal(exactOf(k, 3));
  });
});

describe('classifierRivals', () => {
  it('is the exact search while the pairs sharing a feature stay within its per-article cost', () => {
    // 300 articles sharing 40 common features: 40 · 300² / 2 pairs, 6,000 per article.
    const k = topicalKb(300, 40, 13);
    expect(classifierRivals(k.postings, k.sums, 10).map((r) => [...r])).to.deep.equal(
      allRivals(k.postings, k.sums, 10).map((r) => [...r]),
    );
  });

  it('is the budgeted search beyond that cost', () => {
    // 400 articles sharing ~630 of 700 common features: 700 · 360² / 2 / 400, about 113,000 pairs per article.
    const k = topicalKb(400, 700, 17);
    const budgeted = impactRivals(k.postings, k.sums, 10).map((r) => [...r]);
    expect(budgeted).not.to.deep.equal(allRivals(k.postings, k.sums, 10).map((r) => [...r]));
    expect(classifierRivals(k.postings, k.sums, 10).map((r) => [...r])).to.deep.equal(budgeted);
  });
});
