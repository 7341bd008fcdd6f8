import { expect } from 'chai';
import { DenseLogits } from '../../core/answers/learners/denseLogits.ts';
import { logits, type SoftmaxModel } from '../../core/answers/learners/softmaxRegression.ts';

/** Deterministic values in -1..1, some tiny (sums whose last bits depend on their order). */
function values(n: number, seed: number): Float32Array {
  let s = seed;
  const next = () => (s = (s * 16807) % 2147483647) / 2147483647;
  return Float32Array.from({ length: n }, (_, i) => (next() * 2 - 1) * (i % 7 === 0 ? 1e-5 : 1));
}

/** A model of `classes` classes with 6 sparse rows and a dense block of `dims`. */
function model(classes: number, dims: number): SoftmaxModel {
  return {
    classes,
    rowOf: Int32Array.from({ length: 10 }, (_, id) => (id < 6 ? id : -1)),
    weights: values(6 * classes, 5),
    denseWeights: values(dims * classes, 7),
  };
}

const input = (dims: number) => ({ ids: Int32Array.from([4, 0, 9, 2]), w: values(4, 3), dense: values(dims, 11) });

describe('DenseLogits: the classifier’s dense block in a WebAssembly kernel', () => {
  const cases = [
    { classes: 8, dims: 4, description: 'one block of eight classes' },
    { classes: 203, dims: 100, description: 'blocks and three classes past the last' },
    { classes: 40, dims: 7, description: 'dimensions of any number' },
  ];
  for (const c of cases)
    it(`gives logits the very bits of the JavaScript sums: ${c.description}`, () => {
      const m = model(c.classes, c.dims);
      const kernel = DenseLogits.of(m.denseWeights, c.classes);
      expect(kernel).to.not.equal(null);
      const plain = logits(m, input(c.dims), new Float64Array(c.classes));
      const fast = logits(m, input(c.dims), new Float64Array(c.classes), kernel);
      expect([...fast]).to.deep.equal([...plain]);
    });

  it('is checked on sums whose bits depend on their order (the spec above could fail)', () => {
    const m = model(203, 100);
    const x = input(100);
    const plain = logits(m, x, new Float64Array(203));
    let differs = 0;
    for (let c = 0; c < 203; c++) {
      const sparse = logits({ ...m, denseWeights: new Float32Array(0) }, x, new Float64Array(203))[c]!;
      let backwards = 0;
      for (let d = 99; d >= 0; d--) backwards += m.denseWeights[c * 100 + d]! * x.dense[d]!;
      if (!Object.is(sparse + backwards, plain[c])) differs++;
    }
    expect(differs).to.be.above(0);
  });

  it('skips the classes whose dense weights are all zero, with the same bits', () => {
    // Zero rows (some −0) among the others, an input with negative values (0 × −x is −0), and so few live
    // classes in one model that none fills a block.
    for (const zeroes of [(c: number) => c % 3 === 1 || c > 150, (c: number) => c !== 4 && c !== 9]) {
      const m = model(203, 100);
      for (let c = 0; c < 203; c++)
        if (zeroes(c)) for (let d = 0; d < 100; d++) m.denseWeights[c * 100 + d] = d % 2 ? -0 : 0;
      const kernel = DenseLogits.of(m.denseWeights, 203);
      const x = input(100);
      expect([...logits(m, x, new Float64Array(203), kernel)]).to.deep.equal([...logits(m, x, new Float64Array(203))]);
    }
  });

  it('leaves an input with a value that is not finite to logits (0 × ∞ is NaN, not +0)', () => {
    const m = model(16, 4);
    for (let d = 0; d < 4; d++) m.denseWeights[3 * 4 + d] = 0;
    const kernel = DenseLogits.of(m.denseWeights, 16)!;
    const x = { ...input(4), dense: Float32Array.from([0.5, Infinity, -0.25, 1]) };
    expect(kernel.addTo(x.dense, new Float64Array(16))).to.equal(false);
    const z = logits(m, x, new Float64Array(16), kernel);
    expect(z[3]).to.be.NaN;
    expect([...z]).to.deep.equal([...logits(m, x, new Float64Array(16))]);
  });

  it('is not made for fewer than eight classes or a model without a dense block', () => {
    expect(DenseLogits.of(values(7 * 4, 1), 7)).to.equal(null);
    expect(DenseLogits.of(new Float32Array(0), 50)).to.equal(null);
  });

  it('leaves an input of another length to logits, which skips it as before', () => {
    const m = model(16, 4);
    const kernel = DenseLogits.of(m.denseWeights, 16);
    const x = { ...input(4), dense: values(5, 2) };
    expect([...logits(m, x, new Float64Array(16), kernel)]).to.deep.equal([...logits(m, x, new Float64Array(16))]);
  });
});

describe('logits: the sparse rows, four classes side by side', () => {
  for (const classes of [8, 203, 3])
    it(`give each class its sum row after row, to the bit (${classes} classes)`, () => {
      const m = model(classes, 0);
      const x = { ids: Int32Array.from([4, 0, 9, 2, 5, 1]), w: values(6, 3) };
      const z = logits(m, x, new Float64Array(classes));
      const expected = Array.from({ length: classes }, (_, c) => {
        let sum = 0;
        for (let k = 0; k < x.ids.length; k++) {
          const row = m.rowOf[x.ids[k]!]!;
          if (row >= 0) sum += m.weights[row * classes + c]! * x.w[k]!;
        }
        return sum;
      });
      expect([...z]).to.deep.equal(expected);
    });
});
