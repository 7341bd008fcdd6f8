import { expect } from 'chai';
import { ArticleCentroids } from '../../core/search/articleCentroids.ts';

/** A reproducible sparse vector: about `share` of `dims` dimensions non-zero, some of them negative. */
function sparse(seed: number, dims: number, share: number): Float32Array {
  let s = seed;
  const next = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  const v = new Float32Array(dims);
  for (let d = 0; d < dims; d++) if (next() < share) v[d] = next() * 2 - 1;
  return v;
}

/** The dense dot product over v's non-zero dimensions, as retrieval summed it before centroids were kept sparse. */
function denseDot(v: Float32Array, c: Float32Array): number {
  let s = 0;
  for (let d = 0; d < v.length; d++) if (v[d] !== 0) s += v[d]! * c[d]!;
  return s;
}

describe('article centroids kept sparse', () => {
  const dims = 1024;
  const dense = new Map(Array.from({ length: 40 }, (_, i) => [`a${i}`, sparse(i + 1, dims, 0.2)] as const));
  const centroids = ArticleCentroids.from(dense);

  it('give every question the dense dot product, to the last bit', () => {
    for (let q = 0; q < 50; q++) {
      const v = sparse(1000 + q, dims, q % 2 ? 0.05 : 0.6);
      for (const [id, c] of dense) expect(Object.is(centroids.dot(id, v), denseDot(v, c))).to.equal(true);
    }
  });

  it('are checked on sums whose bits depend on their order (the spec above could fail)', () => {
    let differs = 0;
    for (let q = 0; q < 50; q++) {
      const v = sparse(1000 + q, dims, q % 2 ? 0.05 : 0.6);
      for (const c of dense.values()) {
        let backwards = 0;
        for (let d = v.length - 1; d >= 0; d--) if (v[d] !== 0) backwards += v[d]! * c[d]!;
        if (!Object.is(backwards, denseDot(v, c))) differs++;
      }
    }
    expect(differs).to.be.above(0);
  });

  it('read a question shorter than the centroids over its own dimensions only', () => {
    const v = sparse(5, 600, 0.6);
    const long = new Float32Array(dims);
    long.set(v);
    for (const [id, c] of dense) expect(Object.is(centroids.dot(id, v), denseDot(long, c))).to.equal(true);
  });

  it('read back as the same dense vectors, in the same order; an unknown article has none', () => {
    expect([...centroids.toMap()]).to.deep.equal([...dense]);
    expect(centroids.dot('nope', dense.get('a1')!)).to.equal(undefined);
    expect(centroids.dense('nope')).to.equal(undefined);
  });

  it("take a delta's added, replaced and removed articles as a dense map would", () => {
    const set = new Map([
      ['a3', sparse(77, dims, 0.3)],
      ['new', sparse(78, dims, 0.1)],
    ]);
    const expected = new Map<string, Float32Array>(dense);
    expected.delete('a5');
    for (const [id, v] of set) expected.set(id, v);
    expect([...centroids.with(set, ['a5']).toMap()]).to.deep.equal([...expected]);
  });
});
