import { expect } from 'chai';
import { DenseLogits } from '../../core/answers/learners/denseLogits.ts';
import { SparseLogits } from '../../core/answers/learners/sparseLogits.ts';
import { logits, type SoftmaxModel } from '../../core/answers/learners/softmaxRegression.ts';

/** Deterministic values in -1..1, some tiny (sums whose last bits depend on their order). */
function values(n: number, seed: number): Float32Array {
  let s = seed;
  const next = () => (s = (s * 16807) % 2147483647) / 2147483647;
  return Float32Array.from({ length: n }, (_, i) => (next() * 2 - 1) * (i % 7 === 0 ? 1e-5 : 1));
}

/** A model of `classes` classes whose features 0–5 have rows (in the order 3, 0, 5, 1, 4, 2), and a dense block of `dims`. */
function model(classes: number, dims: number): SoftmaxModel {
  return {
    classes,
    rowOf: Int32Array.from([1, 3, 5, 0, 4, 2, -1, -1, -1, -1]),
    weights: values(6 * classes, 5),
    denseWeights: values(dims * classes, 7),
  };
}

/** Features with rows and without, not in row order. */
const sparseInput = () => ({ ids: Int32Array.from([4, 0, 9, 2, 5, 1, 3]), w: values(7, 3) });

/** Each class's sum as the definition reads: the input's features in order, from 0. */
function definition(m: SoftmaxModel, x: { ids: Int32Array; w: Float32Array }): number[] {
  return Array.from({ length: m.classes }, (_, c) => {
    let sum = 0;
    for (let k = 0; k < x.ids.length; k++) {
      const row = m.rowOf[x.ids[k]!]!;
      if (row >= 0) sum += m.weights[row * m.classes + c]! * x.w[k]!;
    }
    return sum;
  });
}

describe('SparseLogits: the classifier’s sparse rows in a WebAssembly kernel', () => {
  const cases = [
    { classes: 8, description: 'one block of eight classes' },
    { classes: 203, description: 'blocks and three classes past the last' },
    { classes: 16, description: 'two blocks exactly' },
  ];
  for (const c of cases)
    it(`gives logits the very bits of the definition: ${c.description}`, () => {
      const m = model(c.classes, 0);
      const kernel = SparseLogits.of(m);
      expect(kernel).to.not.equal(null);
      const fast = logits(m, sparseInput(), new Float64Array(c.classes).fill(99), null, kernel);
      expect([...fast]).to.deep.equal(definition(m, sparseInput()));
      expect([...fast]).to.deep.equal([...logits(m, sparseInput(), new Float64Array(c.classes))]);
    });

  it('is checked on sums whose bits depend on their order (the spec above could fail)', () => {
    const m = model(203, 0);
    const x = sparseInput();
    const reversed = { ids: x.ids.slice().reverse(), w: x.w.slice().reverse() };
    const forwards = definition(m, x);
    const backwards = definition(m, reversed);
    expect(forwards.filter((z, c) => !Object.is(z, backwards[c])).length).to.be.above(0);
  });

  it('adds the dense block after the rows, as logits does without it', () => {
    const m = model(203, 100);
    const x = { ...sparseInput(), dense: values(100, 11) };
    const fast = logits(m, x, new Float64Array(203), DenseLogits.of(m.denseWeights, 203), SparseLogits.of(m));
    expect([...fast]).to.deep.equal([...logits(m, x, new Float64Array(203))]);
  });

  it('writes zeros when no feature of the input has a row', () => {
    const m = model(24, 0);
    const x = { ids: Int32Array.from([6, 9, 12]), w: values(3, 2) };
    const z = logits(m, x, new Float64Array(24).fill(99), null, SparseLogits.of(m));
    expect([...z]).to.deep.equal(new Array<number>(24).fill(0));
  });

  it('leaves to the JavaScript loop an input with more rows than the model has (a feature repeated)', () => {
    const m = model(16, 0);
    const x = { ids: Int32Array.from([0, 1, 2, 3, 4, 5, 0, 1]), w: values(8, 4) };
    const kernel = SparseLogits.of(m)!;
    expect(kernel.sumsInto(x, new Float64Array(16))).to.equal(false);
    expect([...logits(m, x, new Float64Array(16), null, kernel)]).to.deep.equal(definition(m, x));
  });

  it('is not made for fewer than eight classes', () => {
    expect(SparseLogits.of(model(7, 0))).to.equal(null);
  });
});
