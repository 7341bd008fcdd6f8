import { expect } from 'chai';
import { laneDot, RowMatrix } from '../../core/answers/lexical/rowDots.ts';
import { WordNeighbours } from '../../core/answers/lexical/wordVectors.ts';
import type { WordVectors } from '../../core/search/ports.ts';

/** Deterministic values in -1..1, with a sprinkling of tiny and repeated ones (ties, and sums that round). */
function values(n: number, seed: number): Float32Array {
  let s = seed;
  const next = () => (s = (s * 16807) % 2147483647) / 2147483647;
  return Float32Array.from({ length: n }, (_, i) => {
    const x = next() * 2 - 1;
    return i % 11 === 0 ? x * 1e-4 : i % 13 === 0 ? 0.25 : x;
  });
}

function filled(rows: number, dims: number, kernel: boolean, seed: number): RowMatrix {
  const m = new RowMatrix(rows, dims, { kernel });
  m.values.set(values(rows * dims, seed));
  return m;
}

describe('RowMatrix: each row’s dot product with a query', () => {
  const cases = [
    { rows: 1, dims: 4, description: 'one row, one step of four' },
    { rows: 37, dims: 8, description: 'two steps per row' },
    { rows: 600, dims: 100, description: 'the word vectors’ shape' },
    { rows: 5, dims: 10, description: 'dimensions not a multiple of four (the JavaScript loop)' },
  ];
  for (const c of cases)
    it(`gives laneDot’s very bits: ${c.description}`, () => {
      const m = filled(c.rows, c.dims, true, 7);
      const v = values(c.dims, 3);
      const dots = m.dots(v);
      for (let i = 0; i < c.rows; i++)
        expect(Object.is(dots[i], laneDot(v, m.values, i * c.dims, c.dims))).to.equal(true);
    });

  it('runs the WebAssembly kernel when the dimensions are a multiple of four, the same bits as the JavaScript loop', () => {
    const kernel = filled(600, 100, true, 11);
    const plain = filled(600, 100, false, 11);
    expect(kernel.usesKernel).to.equal(true);
    expect(plain.usesKernel).to.equal(false);
    expect(new RowMatrix(5, 10).usesKernel).to.equal(false);
    for (const seed of [3, 5, 8]) {
      const v = values(100, seed);
      expect([...kernel.dots(v)]).to.deep.equal([...plain.dots(v)]);
    }
  });

  it('is checked on numbers whose sum depends on its order (the spec above could fail)', () => {
    const m = filled(600, 100, true, 11);
    const v = values(100, 3);
    const dots = m.dots(v);
    let differs = 0;
    for (let i = 0; i < 600; i++) {
      let sequential = 0;
      for (let d = 0; d < 100; d++) sequential += v[d]! * m.values[i * 100 + d]!;
      if (!Object.is(sequential, dots[i])) differs++;
    }
    expect(differs).to.be.above(0);
  });
});

describe('WordNeighbours with the kernel', () => {
  class SeededVectors implements WordVectors {
    readonly id = 'seeded';
    readonly lang = 'en' as const;
    readonly dimensions = 100;
    vector(word: string): Float32Array | null {
      if (word.startsWith('x')) return null;
      let seed = 0;
      for (const c of word) seed = (seed * 31 + c.charCodeAt(0)) % 2147483646;
      const v = values(100, seed + 1);
      const n = Math.hypot(...v);
      return v.map((x) => x / n);
    }
    weight(): number {
      return 1;
    }
  }
  const kbWords = Array.from({ length: 400 }, (_, i) => `w${i}`);

  it('finds the same neighbours, similarities and order as the JavaScript loop', () => {
    const vectors = new SeededVectors();
    const options = { k: 3, minSimilarity: 0.1 };
    const kernel = new WordNeighbours(vectors, kbWords, options);
    const plain = new WordNeighbours(vectors, kbWords, { ...options, kernel: false });
    let found = 0;
    for (const word of ['refund', 'w17', 'delivery', 'pets', 'xunknown', 'w399']) {
      const near = kernel.of(word);
      found += near.length;
      expect(near).to.deep.equal(plain.of(word));
    }
    expect(found).to.be.above(0);
  });
});
