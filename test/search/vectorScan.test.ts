import { expect } from 'chai';
import { VectorScan } from '../../core/search/vectorScan.ts';

/** A deterministic stream of integers in [lo, hi]. */
function integers(seed: number): (lo: number, hi: number) => number {
  let s = seed;
  return (lo, hi) => {
    s = (s * 16807) % 2147483647;
    return lo + (s % (hi - lo + 1));
  };
}

/** A scan of `capacity` rows filled with random int8 values (every row, also those past the count the specs use). */
function filled(dimensions: number, capacity: number, kernel: boolean, seed: number): VectorScan {
  const scan = new VectorScan(dimensions, capacity, { kernel });
  const next = integers(seed);
  const row = new Int8Array(dimensions);
  for (let r = 0; r < capacity; r++) {
    for (let d = 0; d < dimensions; d++) row[d] = next(-128, 127);
    scan.setRow(r, row);
  }
  return scan;
}

/** `nnz` distinct dimensions with weights in ±maxWeight. */
function query(
  dimensions: number,
  nnz: number,
  maxWeight: number,
  seed: number,
): { dims: Int32Array; weights: Int32Array } {
  const next = integers(seed);
  const order = Array.from({ length: dimensions }, (_, d) => d);
  for (let i = dimensions - 1; i > 0; i--) {
    const j = next(0, i);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return {
    dims: Int32Array.from(order.slice(0, nnz)),
    weights: Int32Array.from({ length: nnz }, () => next(-maxWeight, maxWeight)),
  };
}

/** The definition, row by row, through the public column views. */
function expected(scan: VectorScan, dims: Int32Array, weights: Int32Array, nnz: number, count: number): number[] {
  return Array.from({ length: count }, (_, r) => {
    let sum = 0;
    for (let k = 0; k < nnz; k++) sum += weights[k]! * scan.column(dims[k]!)[r]!;
    return sum;
  });
}

describe('VectorScan: a sparse query’s dot product with every int8 row', () => {
  const cases = [
    { dimensions: 64, capacity: 1, count: 1, nnz: 1, description: 'one row, one dimension' },
    { dimensions: 64, capacity: 40, count: 33, nnz: 0, description: 'no dimension: every sum is 0' },
    { dimensions: 64, capacity: 37, count: 37, nnz: 5, description: 'an odd count and an odd nnz' },
    { dimensions: 1024, capacity: 683, count: 683, nnz: 44, description: 'the hashing question’s median shape' },
    { dimensions: 1024, capacity: 700, count: 650, nnz: 45, description: 'rows past the count hold values' },
    { dimensions: 1024, capacity: 130, count: 129, nnz: 1024, description: 'every dimension' },
    { dimensions: 7, capacity: 16, count: 16, nnz: 7, description: 'one full block, few dimensions' },
    { dimensions: 64, capacity: 50, count: 0, nnz: 10, description: 'no row' },
  ];
  for (const kernel of [true, false])
    for (const c of cases)
      it(`${kernel ? 'WebAssembly' : 'JavaScript'}: ${c.description} (${c.count} of ${c.capacity} rows, nnz ${c.nnz})`, () => {
        const scan = filled(c.dimensions, c.capacity, kernel, c.capacity + c.nnz);
        expect(scan.kernel).to.equal(kernel ? 'wasm-simd' : 'js');
        const { dims, weights } = query(c.dimensions, c.nnz, 2000, c.nnz + 1);
        const acc = scan.dot(dims, weights, c.nnz, c.count);
        expect(acc).to.be.instanceOf(Int32Array);
        expect([...acc]).to.deep.equal(expected(scan, dims, weights, c.nnz, c.count));
      });

  it('sums the columns of a weight together, groups of every size against the definition (weights of a few values)', () => {
    // A hashing question's weights take a few values: the kernel adds each value's columns four at a time, so
    // groups of 1 to 9 columns (a pass's boundaries), 300 (split at 256) and both signs of a value.
    const next = integers(3);
    for (const kernel of [true, false]) {
      const scan = filled(1024, 300, kernel, 9);
      for (const [nnz, values] of [
        [1, [700]],
        [4, [-700]],
        [5, [700]],
        [9, [700, -700]],
        [13, [5, -3, 32767]],
        [44, [100, 200, -100]],
        [59, [451, 902, -451, 225, 1]],
        [300, [-12000]],
        [600, [3000, -3000]],
      ] as const) {
        const dims = query(1024, nnz, 1, nnz).dims;
        const weights = Int32Array.from({ length: nnz }, () => values[next(0, values.length - 1)]!);
        for (const count of [300, 291])
          expect([...scan.dot(dims, weights, nnz, count)]).to.deep.equal(expected(scan, dims, weights, nnz, count));
      }
    }
  });

  it('gives the same integers in WebAssembly and in JavaScript, query after query on one matrix', () => {
    const simd = filled(1024, 1000, true, 5);
    const plain = new VectorScan(1024, 1000, { kernel: false });
    plain.bytes().set(simd.bytes());
    for (let seed = 1; seed <= 20; seed++) {
      const nnz = [1, 2, 3, 44, 150, 1024][seed % 6]!;
      const { dims, weights } = query(1024, nnz, nnz === 1024 ? 16000 : 32767, seed);
      const count = 1000 - seed * 7;
      expect([...simd.dot(dims, weights, nnz, count)]).to.deep.equal([...plain.dot(dims, weights, nnz, count)]);
    }
  });

  it('is exact at the extremes: −128 and 127 against ±32767, sums up to the int32 bound', () => {
    // 511 × 32767 × 128 = 2,143,223,936 < 2^31: the largest sums the caller's bound allows.
    const nnz = 511;
    for (const kernel of [true, false]) {
      const scan = new VectorScan(512, 35, { kernel });
      for (let r = 0; r < 35; r++) scan.setRow(r, new Int8Array(512).fill(r % 3 === 0 ? -128 : r % 3 === 1 ? 127 : 0));
      const dims = Int32Array.from({ length: nnz }, (_, k) => k);
      const all = new Int32Array(nnz).fill(32767);
      const mixed = Int32Array.from({ length: nnz }, (_, k) => (k % 2 ? -32767 : 32767));
      const top = scan.dot(dims, all, nnz, 35);
      expect([top[0], top[1], top[2]]).to.deep.equal([-2143223936, 2126479999, 0]);
      expect([...scan.dot(dims, all, nnz, 35)]).to.deep.equal(expected(scan, dims, all, nnz, 35));
      expect([...scan.dot(dims, mixed, nnz, 35)]).to.deep.equal(expected(scan, dims, mixed, nnz, 35));
    }
  });

  it('writes a row into the columns, and a column is what the rows hold', () => {
    const scan = new VectorScan(20, 9);
    const row = Int8Array.from({ length: 20 }, (_, d) => d - 10);
    scan.setRow(4, row);
    for (let d = 0; d < 20; d++) {
      expect(scan.column(d).length).to.equal(9);
      expect(scan.column(d)[4]).to.equal(d - 10);
      expect(scan.column(d)[3]).to.equal(0);
    }
    scan.column(7).fill(3);
    expect(scan.dot(Int32Array.of(7), Int32Array.of(-2), 1, 9)[8]).to.equal(-6);
    expect(scan.bytes().length).to.equal(20 * 9);
    expect(scan.bytes()[7 * 9 + 4]).to.equal(3);
  });

  it('grows into a larger copy with the rows so far, the new rows zero', () => {
    for (const kernel of [true, false]) {
      const small = filled(100, 45, kernel, 9);
      const big = small.grown(200);
      expect(big.capacity).to.equal(200);
      expect(big.kernel).to.equal(small.kernel);
      for (const d of [0, 50, 99]) {
        expect([...big.column(d).subarray(0, 45)]).to.deep.equal([...small.column(d)]);
        expect(
          big
            .column(d)
            .subarray(45)
            .every((v) => v === 0),
        ).to.equal(true);
      }
      const { dims, weights } = query(100, 44, 32767, 4);
      const before = [...small.dot(dims, weights, 44, 45)];
      const after = [...big.dot(dims, weights, 44, 60)];
      expect(after).to.deep.equal([...before, ...new Array<number>(15).fill(0)]);
      expect(() => small.grown(44)).to.throw(RangeError);
    }
  });

  it('refuses what it cannot compute exactly or hold', () => {
    const scan = new VectorScan(8, 10);
    expect(() => scan.dot(Int32Array.of(8), Int32Array.of(1), 1, 10)).to.throw(RangeError, /dimension 8/);
    expect(() => scan.dot(Int32Array.of(0), Int32Array.of(32768), 1, 10)).to.throw(RangeError, /32767/);
    expect(() => scan.dot(Int32Array.of(0), Int32Array.of(1), 1, 11)).to.throw(RangeError, /capacity/);
    expect(() => new VectorScan(1024, 5_000_000)).to.throw(RangeError, /4 GiB/);
  });
});

/** The rows from…count whose float32 score f32(acc) × scale is above the threshold (as a float32): the definition. */
function above(acc: Int32Array, scales: Float32Array, from: number, count: number, threshold: number): number[] {
  const rows: number[] = [];
  for (let r = from; r < count; r++)
    if (Math.fround(Math.fround(acc[r]!) * scales[r]!) > Math.fround(threshold)) rows.push(r);
  return rows;
}

/** The float32 next to `x` (a float32) upward (+1) or downward (−1). */
function nextFloat32(x: number, direction: 1 | -1): number {
  const f = new Float32Array([x]);
  const bits = new Int32Array(f.buffer);
  if (x === 0) return direction * 2 ** -149;
  bits[0]! += x > 0 ? direction : -direction;
  return f[0]!;
}

/** A filled scan with scales, some of them equal, and a query's sums over its first `count` rows. */
function scored(kernel: boolean, capacity: number, count: number, seed: number) {
  const scan = filled(64, capacity, kernel, seed);
  const next = integers(seed + 1);
  const scales = scan.scales();
  // Few distinct scales, and rows repeated below, so some scores tie.
  for (let r = 0; r < capacity; r++) scales[r] = Math.fround(next(1, 9) / 4096);
  for (let r = 40; r < capacity; r += 50)
    scan.setRow(
      r,
      Int8Array.from({ length: 64 }, (_, d) => scan.column(d)[3]!),
    );
  for (let r = 40; r < capacity; r += 50) scales[r] = scales[3]!;
  const { dims, weights } = query(64, 12, 3000, seed + 2);
  const acc = Int32Array.from(scan.dot(dims, weights, 12, count));
  return { scan, acc, scales };
}

describe('VectorScan.select: the rows whose float32 score is above a threshold', () => {
  for (const kernel of [true, false])
    for (const { capacity, count, from } of [
      { capacity: 1000, count: 997, from: 0 },
      { capacity: 1000, count: 1000, from: 21 },
      { capacity: 300, count: 250, from: 16 },
      { capacity: 40, count: 13, from: 5 },
      { capacity: 20, count: 20, from: 20 },
    ])
      it(`${kernel ? 'WebAssembly' : 'JavaScript'}: rows ${from}…${count} of ${capacity}, thresholds at, just below and just above scores`, () => {
        const { scan, acc, scales } = scored(kernel, capacity, count, capacity + from);
        const scores = Array.from({ length: count - from }, (_, i) =>
          Math.fround(Math.fround(acc[from + i]!) * scales[from + i]!),
        ).sort((a, b) => b - a);
        const thresholds = [-Infinity, 0, Infinity];
        for (const s of [scores[0], scores[3], scores[Math.floor(scores.length / 2)], scores.at(-1)])
          if (s !== undefined) thresholds.push(s, nextFloat32(s, -1), nextFloat32(s, 1));
        for (const t of thresholds) {
          const want = above(acc, scales, from, count, t);
          expect([...scan.select(from, count, t, capacity)!], `threshold ${t}`).to.deep.equal(want);
        }
      });

  it('keeps every one of tied scores, and none when the threshold is that score', () => {
    const { scan, acc, scales } = scored(true, 1000, 1000, 3);
    const tie = Math.fround(Math.fround(acc[3]!) * scales[3]!);
    const tied = [3, ...Array.from({ length: 20 }, (_, i) => 40 + 50 * i)];
    const below = [...scan.select(0, 1000, nextFloat32(tie, -1), 1000)!];
    for (const r of tied) expect(below).to.include(r);
    expect([...scan.select(0, 1000, tie, 1000)!]).to.not.include.members(tied);
  });

  it('gives null when more than max rows qualify, the rows when exactly max do', () => {
    for (const kernel of [true, false]) {
      const { scan, acc, scales } = scored(kernel, 1000, 997, 11);
      for (const t of [0, -Infinity]) {
        const want = above(acc, scales, 0, 997, t);
        expect([...scan.select(0, 997, t, want.length)!]).to.deep.equal(want);
        expect(scan.select(0, 997, t, want.length - 1)).to.equal(null);
        expect(scan.select(0, 997, t, 0)).to.equal(null);
      }
      expect([...scan.select(0, 997, Infinity, 0)!]).to.deep.equal([]);
    }
  });

  it('gives the same rows in WebAssembly and in JavaScript, query after query', () => {
    const simd = filled(1024, 3000, true, 5);
    const plain = new VectorScan(1024, 3000, { kernel: false });
    plain.bytes().set(simd.bytes());
    const next = integers(8);
    for (let r = 0; r < 3000; r++) simd.scales()[r] = next(1, 1000) / 100_000;
    plain.scales().set(simd.scales());
    for (let seed = 1; seed <= 12; seed++) {
      const { dims, weights } = query(1024, 44, 32767, seed);
      const count = 3000 - seed * 13;
      const acc = Int32Array.from(simd.dot(dims, weights, 44, count));
      plain.dot(dims, weights, 44, count);
      const t = Math.fround(Math.fround(acc[seed]!) * simd.scales()[seed]!);
      const from = seed * 37;
      const want = above(acc, simd.scales(), from, count, t);
      expect([...simd.select(from, count, t, count)!]).to.deep.equal(want);
      expect([...plain.select(from, count, t, count)!]).to.deep.equal(want);
    }
  });

  it('keeps the scales when it grows, and reads only rows the last dot summed', () => {
    for (const kernel of [true, false]) {
      const { scan } = scored(kernel, 45, 45, 9);
      const big = scan.grown(200);
      expect([...big.scales().subarray(0, 45)]).to.deep.equal([...scan.scales()]);
      expect(big.scales().length).to.equal(200);
      expect(
        big
          .scales()
          .subarray(45)
          .every((v) => v === 0),
      ).to.equal(true);
      const { dims, weights } = query(64, 12, 3000, 4);
      big.dot(dims, weights, 12, 60);
      expect(() => big.select(0, 61, 0, 200)).to.throw(RangeError, /dot/);
      expect(() => big.select(0, 60, 0, 201)).to.throw(RangeError, /max/);
    }
  });
});
