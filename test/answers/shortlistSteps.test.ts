import { expect } from 'chai';
import {
  softmaxInPlace,
  trainSoftmax,
  TRAIN_DEFAULTS,
  type ClassifierInput,
  type SoftmaxModel,
} from '../../core/answers/learners/softmaxRegression.ts';

/**
 * The specification of a shortlist step, written the plain way: look each
 * feature's row up, score the shortlisted classes, softmax, move their weights.
 */
function plainStep(model: SoftmaxModel, x: ClassifierInput, y: number, shortlist: Int32Array, rate: number): void {
  const { classes, rowOf, weights: W, denseWeights } = model;
  const dense = denseWeights.length ? x.dense : null;
  const D = dense?.length ?? 0;
  const z = new Float64Array(shortlist.length);
  for (let k = 0; k < x.ids.length; k++) {
    const r = rowOf[x.ids[k]!]!;
    if (r < 0) continue;
    for (let j = 0; j < shortlist.length; j++) z[j]! += W[r * classes + shortlist[j]!]! * x.w[k]!;
  }
  if (dense)
    for (let j = 0; j < shortlist.length; j++) {
      let sum = 0;
      for (let d = 0; d < D; d++) sum += denseWeights[shortlist[j]! * D + d]! * dense[d]!;
      z[j]! += sum;
    }
  softmaxInPlace(z);
  for (let j = 0; j < shortlist.length; j++) if (shortlist[j] === y) z[j]! -= 1;
  for (let k = 0; k < x.ids.length; k++) {
    const r = rowOf[x.ids[k]!]!;
    if (r < 0) continue;
    const step = rate * x.w[k]!;
    for (let j = 0; j < shortlist.length; j++) W[r * classes + shortlist[j]!]! -= step * z[j]!;
  }
  if (dense)
    for (let j = 0; j < shortlist.length; j++)
      for (let d = 0; d < D; d++) denseWeights[shortlist[j]! * D + d]! -= rate * z[j]! * dense[d]!;
}

/** `trainSoftmax`'s epochs and shuffle around `plainStep`, from the model trainSoftmax sizes (trained for 0 epochs). */
function plainTraining(
  examples: { x: ClassifierInput; y: number; shortlist: Int32Array }[],
  classes: number,
  features: number,
  maxCells: number,
  epochs: number = TRAIN_DEFAULTS.shortlistEpochs,
): SoftmaxModel {
  const model = trainSoftmax(examples, classes, features, { maxCells, shortlistEpochs: 0 });
  const o = TRAIN_DEFAULTS;
  let seed = o.seed;
  const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const order = examples.map((_, i) => i);
  for (let epoch = 0; epoch < epochs; epoch++) {
    const rate = o.rate / (1 + o.decay * epoch);
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (const i of order) plainStep(model, examples[i]!.x, examples[i]!.y, examples[i]!.shortlist, rate);
  }
  return model;
}

describe('trainSoftmax on shortlists', () => {
  let seed = 11;
  const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const classes = 30;
  const features = 50;
  const examples = (withDense: boolean) =>
    Array.from({ length: 120 }, (_, i) => {
      const y = i % classes;
      const ids = [...new Set(Array.from({ length: 6 }, () => Math.floor(random() * features)))];
      return {
        x: {
          ids: Int32Array.from(ids),
          w: Float32Array.from(ids, () => random()),
          dense: withDense ? Float32Array.from({ length: 3 }, () => random() - 0.5) : null,
        },
        y,
        // The gold class and a few others, not in order.
        shortlist: Int32Array.from(new Set([(y + 7) % classes, y, (y * 3) % classes, (y + 1) % classes])),
      };
    });

  it('gives every weight, to the last bit, the plain step gives it: sparse rows under a size budget, and a dense block', () => {
    for (const withDense of [false, true]) {
      const data = examples(withDense);
      // A budget of fewer rows than features: some features have no row and are skipped.
      const maxCells = 30 * classes;
      const model = trainSoftmax(data, classes, features, { maxCells });
      const plain = plainTraining(data, classes, features, maxCells);
      expect(model.weights).to.deep.equal(plain.weights);
      expect(model.denseWeights).to.deep.equal(plain.denseWeights);
      expect(model.weights.some((w) => w !== 0)).to.equal(true);
    }
  });

  it('runs 3 epochs over shortlists, half the 6 of the full softmax (at 10k articles no bench answer changed)', () => {
    expect(TRAIN_DEFAULTS).to.include({ epochs: 6, shortlistEpochs: 3 });
    const data = examples(true);
    const maxCells = 30 * classes;
    const model = trainSoftmax(data, classes, features, { maxCells });
    expect(model.weights).to.deep.equal(plainTraining(data, classes, features, maxCells, 3).weights);
    expect(model.weights).not.to.deep.equal(plainTraining(data, classes, features, maxCells, 6).weights);
  });

  it('gives the same bits with shortlists of any length and dense blocks of any size (classes scored four at a time)', () => {
    for (const dims of [1, 5, 8]) {
      const data = Array.from({ length: 90 }, (_, i) => {
        const y = i % classes;
        const ids = [...new Set(Array.from({ length: 1 + (i % 7) }, () => Math.floor(random() * features)))];
        const others = Array.from({ length: i % 9 }, (_, k) => (y + 1 + k * 5) % classes);
        return {
          x: {
            ids: Int32Array.from(ids),
            w: Float32Array.from(ids, () => random()),
            dense: Float32Array.from({ length: dims }, () => random() - 0.5),
          },
          y,
          // 1 to 9 classes: whole fours and the rest.
          shortlist: Int32Array.from(new Set([...others, y])),
        };
      });
      const maxCells = 30 * classes;
      const model = trainSoftmax(data, classes, features, { maxCells });
      const plain = plainTraining(data, classes, features, maxCells);
      expect(model.weights).to.deep.equal(plain.weights);
      expect(model.denseWeights).to.deep.equal(plain.denseWeights);
    }
  });
});
