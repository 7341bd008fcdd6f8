import { expect } from 'chai';
import { fitLogistic, predict } from '../../core/answers/learners/logistic.ts';

describe('fitLogistic, weighted and on separable samples', () => {
  it('counts a sample of weight 2 as that sample twice', () => {
    const X = [
      [1, 0.2],
      [1, 0.4],
      [1, 0.6],
      [1, 0.8],
    ];
    const y = [0, 1, 0, 1];
    const weighted = fitLogistic(X, y, [0, 0], 1, (i) => (y[i] === 1 ? 2 : 1));
    const doubled = fitLogistic([...X, X[1]!, X[3]!], [...y, 1, 1], [0, 0], 1);
    weighted.forEach((w, k) => expect(w).to.be.closeTo(doubled[k]!, 1e-9));
  });

  it('half-weighted negatives raise the probability of the same evidence', () => {
    const X = Array.from({ length: 100 }, (_, i) => [1, (i % 10) / 10]);
    const y = X.map(([, s], i) => (i % 3 === 0 || s! > 0.7 ? 1 : 0));
    const plain = fitLogistic(X, y, [0, 0], 1);
    const lenient = fitLogistic(X, y, [0, 0], 1, (i) => (y[i] === 0 ? 0.5 : 1));
    expect(predict(lenient, [1, 0.5])).to.be.above(predict(plain, [1, 0.5]));
  });

  it('stays finite on nearly separable samples: a Newton step that overshoots is shortened', () => {
    // Every sample with the last feature set is positive, and a fifth of the others: with a weak prior a full
    // Newton step from the prior overshoots, and plain steps ran the weights into the thousands (both at 1.0).
    const X = Array.from({ length: 300 }, (_, i) => [1, (i % 17) / 17, i % 2 === 0 ? 1 : 0]);
    const y = X.map((x, i) => (x[2] === 1 || i % 5 === 0 ? 1 : 0));
    const w = fitLogistic(X, y, [-4, 5, 0], 0.1);
    w.forEach((wk) => expect(Math.abs(wk)).to.be.below(20));
    expect(predict(w, [1, 0.5, 1])).to.be.above(0.95);
    expect(predict(w, [1, 0.5, 0])).to.be.closeTo(0.2, 0.05);
  });
});
