import { expect } from 'chai';
import { softmaxInPlace } from '../../core/answers/learners/softmaxMath.ts';

/** Logits in -10..10 from a fixed seed. */
function logits(n: number, seed: number): Float64Array {
  let s = seed;
  return Float64Array.from({ length: n }, () => ((s = (s * 16807) % 2147483647) / 2147483647) * 20 - 10);
}

/** The softmax as written first (the predicate asked twice per class): the bits every answer so far was given. */
function reference(z: Float64Array, allowed?: (c: number) => boolean): Float64Array {
  const out = Float64Array.from(z);
  let max = -Infinity;
  for (let c = 0; c < out.length; c++) if ((!allowed || allowed(c)) && out[c]! > max) max = out[c]!;
  let sum = 0;
  for (let c = 0; c < out.length; c++) {
    out[c] = !allowed || allowed(c) ? Math.exp(out[c]! - max) : 0;
    sum += out[c]!;
  }
  for (let c = 0; c < out.length; c++) out[c]! /= sum || 1;
  return out;
}

describe('softmaxInPlace: the classifier’s probabilities over the allowed articles', () => {
  const cases = [
    { description: 'every class allowed', allowed: undefined },
    { description: 'every third class refused', allowed: (c: number) => c % 3 !== 0 },
    { description: 'one class allowed', allowed: (c: number) => c === 17 },
  ];
  for (const { description, allowed } of cases)
    it(`gives the bits of the first softmax: ${description}`, () => {
      const z = logits(1000, 7);
      const expected = reference(z, allowed);
      softmaxInPlace(z, allowed);
      expect([...z]).to.deep.equal([...expected]);
    });

  it('gives a refused class exactly 0 and the allowed ones a sum of 1', () => {
    const z = logits(500, 3);
    softmaxInPlace(z, (c) => c % 2 === 0);
    expect(z.filter((_, c) => c % 2 === 1).every((p) => Object.is(p, 0))).to.equal(true);
    expect(z.reduce((a, b) => a + b, 0)).to.be.closeTo(1, 1e-12);
  });

  it('gives every class 0 when none is allowed', () => {
    const z = logits(50, 5);
    softmaxInPlace(z, () => false);
    expect([...z]).to.deep.equal(new Array(50).fill(0));
  });
});
