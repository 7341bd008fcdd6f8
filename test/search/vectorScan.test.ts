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
