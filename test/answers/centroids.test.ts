import { expect } from 'chai';
import { FULL_SCORING_MAX } from '../../core/answers/lexical/candidates.ts';
import { Centroids } from '../../core/answers/lexical/centroids.ts';
import { valueColumns } from '../../core/answers/lexical/csr.ts';
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

  it('restored from their parts, give each article’s sum, cosines and scores as built', () => {
    const restored = Centroids.restore(centroids.parts());
    expect(restored.articles).to.equal(2);
    for (const a of [0, 1]) {
      expect([...restored.sum(a).ids]).to.deep.equal([...centroids.sum(a).ids]);
      expect([...restored.sum(a).w]).to.deep.equal([...centroids.sum(a).w]);
      expect(restored.sums[a]).to.deep.equal(restored.sum(a));
    }
    expect(restored.cosine(0, 1)).to.equal(centroids.cosine(0, 1));
    // An article past them (one watch mode added) has an empty sum.
    expect([...restored.sum(2).ids]).to.deep.equal([]);
    expect(scores(restored)).to.deep.equal(scores(centroids));
  });
});

describe('value columns of the commonest features (a KB above FULL_SCORING_MAX articles)', () => {
  const articles = FULL_SCORING_MAX + 500;
  let s = 11;
  const next = (n: number) => (s = (Math.imul(s, 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) % n;
  // Three matched units per article: features 0–9 in most centroids (a column each), 10–2,009 rare.
  const unitList = Array.from({ length: 3 * articles }, (_, i) => ({ article: Math.floor(i / 3), matched: true }));
  const vectors = unitList.map(() => {
    const ids = [...new Set([next(10), next(10), next(2000) + 10])].sort((a, b) => a - b);
    const w = ids.map(() => 0.05 + next(1000) / 1000);
    const norm = Math.hypot(...w);
    return { ids: Int32Array.from(ids), w: Float32Array.from(w, (x) => x / norm) };
  });
  const centroids = Centroids.build(2010, articles, vectors, unitList);
  // Weights of both signs (a negative weight times a missing 0 is −0), features in no particular order.
  const q = { ids: Int32Array.from([3, 1500, 0, 7, 12, 9]), w: Float32Array.of(0.2, 0.7, -0.1, 0.3, 0.5, 0.25) };
  const scoredAt = (candidates: Int32Array, length = articles) => {
    const mask = new Uint8Array(length);
    for (const a of candidates) mask[a] = 1;
    const out = new Float32Array(candidates.length);
    centroids.scoreCandidates(q, candidates, mask, new Float32Array(length), out);
    return [...out];
  };

  it('gives each candidate the cosine of scoring every article through the postings, to the last bit', () => {
    const every = new Float32Array(articles);
    centroids.score(q, every);
    const candidates = Int32Array.from({ length: 900 }, (_, i) => i * 2 + (i % 3 === 0 ? 1 : 0));
    const scored = scoredAt(candidates);
    expect(scored).to.deep.equal(Array.from(candidates, (a) => every[a]));
    expect(scored.filter((x) => x !== 0).length).to.be.above(800);
  });

  it('adds a column at the candidates as the postings would: equal sums whatever the features read from columns', () => {
    const candidates = Int32Array.from({ length: 200 }, (_, i) => 5 * i + 1);
    const mask = new Uint8Array(articles);
    for (const a of candidates) mask[a] = 1;
    const [gathered, columned] = [new Float32Array(articles), new Float32Array(articles)];
    centroids.postings.accumulateMasked(q, mask, gathered);
    centroids.postings.accumulateMasked(q, mask, columned, {
      rows: candidates,
      columns: valueColumns(centroids.postings, articles, 0),
    });
    expect([...columned]).to.deep.equal([...gathered]);
    expect(Array.from(candidates, (a) => columned[a]).filter((x) => x !== 0).length).to.be.above(150);
  });

  it('reads the commonest features from their columns at the rows listed, not through their postings', () => {
    const common = { ids: Int32Array.from([3, 0, 7]), w: Float32Array.of(0.2, -0.1, 0.3) };
    const candidates = Int32Array.from({ length: 600 }, (_, i) => 3 * i);
    const mask = new Uint8Array(articles);
    for (const a of candidates) mask[a] = 1;
    const gathered = new Float32Array(articles);
    centroids.postings.accumulateMasked(common, mask, gathered);
    // No row marked: only the columns, read at the listed rows, can add to them.
    const columned = new Float32Array(articles);
    const columns = valueColumns(centroids.postings, articles, 0.3 * articles);
    expect([...columns.keys()].sort()).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    centroids.postings.accumulateMasked(common, new Uint8Array(articles), columned, { rows: candidates, columns });
    expect([...columned]).to.deep.equal([...gathered]);
  });

  it('hands its columns, in shared memory, to a copy of the same centroids, which reads them instead of its own', () => {
    const [first, copy] = [0, 1].map(() => Centroids.build(2010, articles, vectors, unitList));
    const columns = first!.sharedColumns();
    expect(columns.size).to.be.above(0);
    for (const column of columns.values()) expect(column.buffer).to.be.instanceOf(SharedArrayBuffer);
    copy!.useColumns(columns);
    const candidates = Int32Array.from({ length: 600 }, (_, i) => 3 * i + 2);
    const scored = (c: Centroids) => {
      const mask = new Uint8Array(articles);
      for (const a of candidates) mask[a] = 1;
      const out = new Float32Array(candidates.length);
      c.scoreCandidates(q, candidates, mask, new Float32Array(articles), out);
      return [...out];
    };
    expect(scored(copy!)).to.deep.equal(scored(first!));
    // The copy reads the first's memory: a change there is a change in what the copy scores.
    columns.get(3)!.fill(0);
    expect(scored(copy!)).to.not.deep.equal(scored(centroids));
    expect(scored(copy!)).to.deep.equal(scored(first!));
    expect(() =>
      Centroids.build(2010, articles, vectors, unitList).useColumns(new Map([[3, new Float32Array(9)]])),
    ).to.throw(/value columns of other postings/);
  });

  it('leaves a candidate past the centroids (an article watch mode added) at 0, as the postings do', () => {
    const candidates = Int32Array.of(5, 17, articles, articles + 3);
    const scored = scoredAt(candidates, articles + 4);
    expect(scored.slice(2)).to.deep.equal([0, 0]);
    expect(scored[0]! + scored[1]!).to.not.equal(0);
  });

  it('sums each article’s matched units in double precision, features in order of first use, as a Map per article did', () => {
    let seed = 5;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const features = 40;
    // Units of three articles interleaved, some unmatched, features shared and repeated in random orders.
    const many = Array.from({ length: 30 }, (_, i) => {
      const ids = [...new Set(Array.from({ length: 1 + (i % 9) }, () => Math.floor(random() * features)))];
      return {
        unit: { article: (i * 7) % 3, matched: i % 4 !== 1 },
        vector: { ids: Int32Array.from(ids), w: Float32Array.from(ids, () => random() / 3) },
      };
    });
    const built = Centroids.build(
      features,
      3,
      many.map((m) => m.vector),
      many.map((m) => m.unit),
    ).parts();
    const maps = [0, 1, 2].map(() => new Map<number, number>());
    for (const { unit: u, vector: v } of many)
      if (u.matched) v.ids.forEach((id, k) => maps[u.article]!.set(id, (maps[u.article]!.get(id) ?? 0) + v.w[k]!));
    expect([...built.ids]).to.deep.equal(maps.flatMap((m) => [...m.keys()]));
    expect([...built.w]).to.deep.equal([...Float32Array.from(maps.flatMap((m) => [...m.values()]))]);
    expect([...built.norms]).to.deep.equal([
      ...Float32Array.from(maps, (m) => Math.sqrt([...m.values()].reduce((acc, x) => acc + x * x, 0))),
    ]);
    const dots = many.map(({ unit: u, vector: v }) =>
      u.matched ? v.ids.reduce((d, id, k) => d + v.w[k]! * maps[u.article]!.get(id)!, 0) : 0,
    );
    expect([...built.unitDots]).to.deep.equal([...Float32Array.from(dots)]);
  });

  it('holds every article’s sum, however many, article after article', () => {
    // 600 articles of up to 12 features: past the first thousand entries the sums are kept in.
    const articles = 600;
    const many = Array.from({ length: articles }, (_, a) => {
      const ids = Array.from({ length: 1 + (a % 12) }, (_, k) => (a * 7 + k * 13) % 97);
      return { ids: Int32Array.from(ids), w: Float32Array.from(ids, (id, k) => (id + k + 1) / 100) };
    });
    const built = Centroids.build(
      97,
      articles,
      many,
      many.map((_, a) => ({ article: a, matched: true })),
    );
    expect(built.articles).to.equal(articles);
    many.forEach((v, a) => {
      expect([...built.sum(a).ids]).to.deep.equal([...v.ids]);
      expect([...built.sum(a).w]).to.deep.equal([...v.w]);
    });
    expect(built.parts().ids).to.have.length(many.reduce((n, v) => n + v.ids.length, 0));
  });
});
