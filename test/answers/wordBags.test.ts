import { expect } from 'chai';
import { Csr } from '../../core/answers/lexical/csr.ts';
import { FULL_SCORING_MAX } from '../../core/answers/lexical/candidates.ts';
import { WordBags } from '../../core/answers/lexical/wordBags.ts';

/** Units as TermSpace.fit shows them: article by article, each its features' counts. */
function units(): { article: number; ids: number[]; counts: number[] }[] {
  let s = 3;
  const next = (n: number) => (s = (Math.imul(s, 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) % n;
  const out: { article: number; ids: number[]; counts: number[] }[] = [];
  // Article 2 has no unit; article 3's units hold more features than one bag's first arrays, with ids past 5,000.
  for (const [article, unitCount, width] of [
    [0, 3, 20],
    [1, 2, 50],
    [3, 40, 300],
    [4, 1, 5],
  ] as const) {
    for (let u = 0; u < unitCount; u++) {
      const ids = [...new Set(Array.from({ length: width }, () => next(6000)))];
      out.push({ article, ids, counts: ids.map(() => 1 + next(3)) });
    }
  }
  return out;
}

describe('WordBags.builder', () => {
  it("sums each article's unit counts into its bag, as a bag kept per article as a Map did", () => {
    const builder = WordBags.builder(5);
    const reference = Array.from({ length: 5 }, () => new Map<number, number>());
    const lengths = new Float32Array(5);
    for (const u of units()) {
      builder.add(u.article, Int32Array.from(u.ids), Int32Array.from(u.counts), u.ids.length);
      u.ids.forEach((id, k) => {
        reference[u.article]!.set(id, (reference[u.article]!.get(id) ?? 0) + u.counts[k]!);
        lengths[u.article]! += u.counts[k]!;
      });
    }
    const parts = builder.build(6000, () => 1).parts();
    const expected = Csr.build(
      6000,
      reference.map((m, row) => ({
        row,
        vector: { ids: Int32Array.from(m.keys()), w: Float32Array.from(m.values()) },
      })),
    );
    expect([...parts.lengths]).to.deep.equal([...lengths]);
    expect([...parts.postings.starts]).to.deep.equal([...expected.starts]);
    expect([...parts.postings.rows]).to.deep.equal([...expected.rows]);
    expect([...parts.postings.values]).to.deep.equal([...expected.values]);
    expect(parts.postings.rows.includes(2)).to.equal(false);
  });

  it('keeps articles as 16-bit integers and counts as 8- or 16-bit ones when they fit, and as int32 and float32 when not', () => {
    const bagsOf = (count: number) => {
      const builder = WordBags.builder(2);
      builder.add(0, Int32Array.of(1, 2), Int32Array.of(3, count), 2);
      builder.add(1, Int32Array.of(2), Int32Array.of(1), 1);
      return builder.build(3, () => 1).parts().postings;
    };
    const small = bagsOf(255);
    expect(small.rows).to.be.instanceOf(Uint16Array);
    expect(small.values).to.be.instanceOf(Uint8Array);
    expect([...small.values]).to.deep.equal([3, 255, 1]);
    const middle = bagsOf(256);
    expect(middle.values).to.be.instanceOf(Uint16Array);
    expect([...middle.values]).to.deep.equal([3, 256, 1]);
    const large = bagsOf(70_000);
    expect(large.values).to.be.instanceOf(Float32Array);
    expect([...large.values]).to.deep.equal([3, 70_000, 1]);
  });

  it('score the same with 8- and 16-bit postings as with int32 and float32 ones', () => {
    const builder = WordBags.builder(5);
    for (const u of units()) builder.add(u.article, Int32Array.from(u.ids), Int32Array.from(u.counts), u.ids.length);
    const parts = builder.build(6000, () => 1).parts();
    expect(parts.postings.values).to.be.instanceOf(Uint8Array);
    const counts16 = { ...parts, postings: { ...parts.postings, values: Uint16Array.from(parts.postings.values) } };
    const wide = {
      lengths: parts.lengths,
      postings: {
        starts: parts.postings.starts,
        rows: Int32Array.from(parts.postings.rows),
        values: Float32Array.from(parts.postings.values),
      },
    };
    const q = { ids: Int32Array.from(units()[0]!.ids.slice(0, 12)), w: new Float32Array(12).fill(0.5) };
    const scores = (p: typeof parts) => {
      const coverage = new Float32Array(5);
      const bm25 = new Float32Array(5);
      WordBags.restore(p, () => 1).score(q, coverage, bm25);
      return [[...coverage], [...bm25]];
    };
    expect(scores(parts)).to.deep.equal(scores(wide));
    expect(scores(counts16)).to.deep.equal(scores(wide));
  });
});

describe('masked postings walks (the candidates of a large KB)', () => {
  /** A question over the units' features: each id once, some the KB never saw, in no particular order. */
  function question(seed: number): { ids: Int32Array; w: Float32Array } {
    let s = seed;
    const next = (n: number) => (s = (Math.imul(s, 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) % n;
    const ids = [...new Set(Array.from({ length: 120 }, () => next(6000)))];
    return { ids: Int32Array.from(ids), w: Float32Array.from(ids, () => 0.01 + next(1000) / 1000) };
  }
  const builder = WordBags.builder(5);
  for (const u of units()) builder.add(u.article, Int32Array.from(u.ids), Int32Array.from(u.counts), u.ids.length);
  const bags = builder.build(6000, (id) => 1 + (id % 7) / 10);
  const masks = [
    [1, 0, 1, 1, 0],
    [0, 0, 0, 1, 0],
    [1, 1, 1, 1, 1],
    [0, 0, 0, 0, 0],
  ].map((m) => Uint8Array.from(m));

  it('gives each marked row of the postings the float32 sum the whole walk gives it, and leaves the others alone', () => {
    // The bags' postings may be stored 16 bits wide; the walks are Csr's, over the same numbers.
    // Rows of either width (a snapshot has both: units' rows are 32-bit, articles' 16-bit), each its own gather loop.
    const { starts, rows, values } = bags.parts().postings;
    for (const wide of [Int32Array.from(rows), Uint16Array.from(rows)]) {
      const postings = Csr.restore(starts, wide, Float32Array.from(values));
      for (const [i, mask] of masks.entries()) {
        const q = question(i + 11);
        const whole = new Float32Array(5);
        postings.accumulate(q, whole);
        const masked = new Float32Array(5);
        postings.accumulateMasked(q, mask, masked);
        expect([...masked]).to.deep.equal([...whole].map((x, row) => (mask[row] ? x : 0)));
        if (i === 2) expect(masked.some((x) => x > 0)).to.equal(true);
      }
    }
  });

  it('gives each marked article the coverage and BM25 of scoring every article, to the last bit', () => {
    for (const [i, mask] of masks.entries()) {
      const q = question(i + 5);
      const [coverage, bm25] = [new Float32Array(5), new Float32Array(5)];
      bags.score(q, coverage, bm25);
      const [maskedCoverage, maskedBm25] = [new Float32Array(5), new Float32Array(5)];
      bags.scoreMasked(q, mask, maskedCoverage, maskedBm25);
      expect([...maskedCoverage]).to.deep.equal([...coverage].map((x, a) => (mask[a] ? x : 0)));
      expect([...maskedBm25]).to.deep.equal([...bm25].map((x, a) => (mask[a] ? x : 0)));
      expect(bm25.some((x) => x > 0)).to.equal(true);
    }
  });
});

// Counts past 255 in feature 0 (16-bit postings, 16-bit and byte columns), or all small (8-bit postings, byte columns).
for (const [postings, spike] of [
  ['16-bit', 300],
  ['8-bit', 4],
] as const)
  describe(`count columns of the commonest features (a KB above FULL_SCORING_MAX articles, ${postings} postings)`, () => {
    const articles = FULL_SCORING_MAX + 500;
    let s = 9;
    const next = (n: number) => (s = (Math.imul(s, 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) % n;
    // Features 0–9 in most articles (a column each), 10–2,009 rare.
    const builder = WordBags.builder(articles);
    for (let a = 0; a < articles; a++) {
      const ids = [
        ...new Set([...Array.from({ length: 10 }, (_, f) => f).filter(() => next(10) < 8), next(2000) + 10]),
      ];
      const counts = ids.map((id) => (id === 0 && a % 97 === 0 ? spike : 1 + next(4)));
      builder.add(a, Int32Array.from(ids), Int32Array.from(counts), ids.length);
    }
    const bags = builder.build(2010, (id) => 1 + (id % 7) / 10);
    const q = { ids: Int32Array.from([3, 1500, 0, 7, 12, 9]), w: Float32Array.of(0.2, 0.7, 0.1, 0.3, 0.5, 0.25) };

    it('gives each candidate the coverage and BM25 of scoring every article, to the last bit', () => {
      const [coverage, bm25] = [new Float32Array(articles), new Float32Array(articles)];
      bags.score(q, coverage, bm25);
      const candidates = Int32Array.from({ length: 900 }, (_, i) => i * 2 + (i % 3 === 0 ? 1 : 0));
      const mask = new Uint8Array(articles);
      for (const a of candidates) mask[a] = 1;
      const [c, b] = [new Float32Array(articles), new Float32Array(articles)];
      bags.scoreMasked(q, mask, c, b, undefined, candidates);
      expect([...c]).to.deep.equal([...coverage].map((x, a) => (mask[a] ? x : 0)));
      expect([...b]).to.deep.equal([...bm25].map((x, a) => (mask[a] ? x : 0)));
      expect(candidates.filter((a) => b[a]! > 0).length).to.be.above(800);
    });

    it('reads the commonest features from their columns at the candidates listed, not through their postings', () => {
      const common = { ids: Int32Array.from([3, 0, 7]), w: Float32Array.of(0.2, 0.1, 0.3) };
      const [coverage, bm25] = [new Float32Array(articles), new Float32Array(articles)];
      bags.score(common, coverage, bm25);
      const candidates = Int32Array.from({ length: 600 }, (_, i) => 3 * i);
      // No article marked: only the columns, read at the listed candidates, can score them.
      const [c, b] = [new Float32Array(articles), new Float32Array(articles)];
      bags.scoreMasked(common, new Uint8Array(articles), c, b, undefined, candidates);
      expect(Array.from(candidates, (a) => b[a])).to.deep.equal(Array.from(candidates, (a) => bm25[a]));
      expect(Array.from(candidates, (a) => c[a])).to.deep.equal(Array.from(candidates, (a) => coverage[a]));
      expect(candidates.filter((a) => b[a]! > 0).length).to.be.above(500);
    });

    it('hands its columns, in shared memory, to a copy of the same bags, which reads them instead of its own', () => {
      const weightOf = (id: number) => 1 + (id % 7) / 10;
      const [first, copy] = [0, 1].map(() => WordBags.restore(bags.parts(), weightOf));
      const columns = first!.sharedColumns();
      expect(columns.size).to.be.above(0);
      for (const column of columns.values()) expect(column.buffer).to.be.instanceOf(SharedArrayBuffer);
      copy!.useColumns(columns);
      const candidates = Int32Array.from({ length: 600 }, (_, i) => 3 * i + 1);
      const scored = (b: WordBags) => {
        const [c, s] = [new Float32Array(articles), new Float32Array(articles)];
        b.scoreMasked(q, new Uint8Array(articles), c, s, undefined, candidates);
        return [...s];
      };
      expect(scored(copy!)).to.deep.equal(scored(first!));
      // The copy reads the first's memory: a change there is a change in what the copy scores.
      const before = scored(copy!);
      columns.get(3)!.fill(0);
      expect(scored(copy!)).to.not.deep.equal(before);
      expect(scored(copy!)).to.deep.equal(scored(first!));
      expect(() => WordBags.restore(bags.parts(), weightOf).useColumns(new Map([[3, new Uint8Array(9)]]))).to.throw(
        /count columns of other postings/,
      );
    });

    it('leaves out a candidate past the bags (an article watch mode added), as the postings do', () => {
      const candidates = Int32Array.of(5, 17, articles, articles + 3);
      const mask = new Uint8Array(articles + 4);
      for (const a of candidates) mask[a] = 1;
      const [c, b] = [new Float32Array(articles + 4), new Float32Array(articles + 4)];
      bags.scoreMasked(q, mask, c, b, undefined, candidates);
      expect([c[articles], c[articles + 3], b[articles], b[articles + 3]]).to.deep.equal([0, 0, 0, 0]);
      expect(b[5]! + b[17]!).to.be.above(0);
    });
  });
