import { denseDot, softmaxInPlace, stepDense } from './softmaxMath.ts';
import type { DenseLogits } from './denseLogits.ts';
import type { SparseLogits } from './sparseLogits.ts';
import { ShortlistSteps } from './shortlistSteps.ts';

export { softmaxInPlace } from './softmaxMath.ts';

/** A sparse vector: feature ids and their weights. */
export interface SparseVector {
  ids: Int32Array;
  w: Float32Array;
}

/** A classifier input: sparse features, and optionally a dense block (every example's, the same length). */
export interface ClassifierInput extends SparseVector {
  dense?: Float32Array | null;
}

export interface SoftmaxModel {
  classes: number;
  /** Row of each feature id in `weights`, or -1 when the model never saw it. */
  rowOf: Int32Array;
  /** rows × classes, row-major. */
  weights: Float32Array;
  /**
   * Weights of the dense block, classes × its length, class-major: every input
   * has all of it, so a step reads one contiguous run per class (as rows of
   * `weights` these were one cache miss per class and feature: 3 times the
   * training time at 10k articles). Empty when the inputs had none.
   */
  denseWeights: Float32Array;
}

export interface TrainOptions {
  epochs: number;
  /**
   * Epochs when the examples train on shortlists (a KB of more than 200 articles): the build's largest
   * stage at 10k articles, halved. 3 instead of 6 changed none of 4,000 answers of the 10k bench
   * (bench/kbQuality.ts); 1 none either, but that bench barely reads the classifier (untrained, 1 answer
   * changed), so 3 keeps a margin for KBs whose users' questions lean on it more.
   */
  shortlistEpochs: number;
  /** Learning rate at epoch e is rate / (1 + decay · e). */
  rate: number;
  decay: number;
  /** Largest weight matrix allowed (rows × classes); the rarest features are dropped beyond it. */
  maxCells: number;
  seed: number;
}

export const TRAIN_DEFAULTS: TrainOptions = {
  epochs: 6,
  shortlistEpochs: 3,
  rate: 3,
  decay: 0.5,
  maxCells: 4_000_000,
  seed: 1,
};

/**
 * Multinomial logistic regression trained by plain SGD on the KB's own
 * phrasings (each labelled with its article). It learns which words tell
 * near-duplicate articles apart ("pending" vs "failed" transfer), which
 * similarity alone cannot. Deterministic: the same KB gives the same model,
 * so a snapshot can rebuild it on load instead of storing it.
 */
export function trainSoftmax(
  examples: { x: ClassifierInput; y: number; shortlist?: Int32Array }[],
  classes: number,
  featureCount: number,
  options: Partial<TrainOptions> = {},
): SoftmaxModel {
  const o = { ...TRAIN_DEFAULTS, ...options };
  // Rows only for features seen in training, most shared first, within the budget.
  const seen = new Int32Array(featureCount);
  for (const e of examples) for (const id of e.x.ids) seen[id]!++;
  const used = [...seen.keys()].filter((id) => seen[id]! > 0).sort((a, b) => seen[b]! - seen[a]! || a - b);
  const rows = Math.min(used.length, Math.floor(o.maxCells / Math.max(1, classes)));
  const rowOf = new Int32Array(featureCount).fill(-1);
  for (let r = 0; r < rows; r++) rowOf[used[r]!] = r;
  const W = new Float32Array(rows * classes);
  const denseLength = examples.find((e) => e.x.dense)?.x.dense!.length ?? 0;
  const model: SoftmaxModel = { classes, rowOf, weights: W, denseWeights: new Float32Array(denseLength * classes) };
  if (classes < 2 || !examples.length) return model;

  const z = new Float64Array(classes);
  let seed = o.seed;
  const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const order = examples.map((_, i) => i);
  // Examples with a shortlist (a KB of hundreds of articles or more): steps prepared once (see ShortlistSteps).
  const shortlisted = examples.some((e) => e.shortlist) ? new ShortlistSteps(model, examples) : null;
  const epochs = shortlisted ? o.shortlistEpochs : o.epochs;
  for (let epoch = 0; epoch < epochs; epoch++) {
    const rate = o.rate / (1 + o.decay * epoch);
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (const index of order) {
      if (shortlisted?.step(index, rate)) continue;
      const { x, y } = examples[index]!;
      logits(model, x, z);
      softmaxInPlace(z);
      z[y]! -= 1;
      for (let k = 0; k < x.ids.length; k++) {
        const r = rowOf[x.ids[k]!]!;
        if (r < 0) continue;
        const step = rate * x.w[k]!;
        const base = r * classes;
        for (let c = 0; c < classes; c++) W[base + c]! -= step * z[c]!;
      }
      if (x.dense && denseLength)
        for (let c = 0; c < classes; c++) stepDense(model.denseWeights, c, x.dense, rate * z[c]!);
    }
  }
  return model;
}

/**
 * Raw scores of every class for `x`, written into `out`. Each class's score is
 * the same sum, in the same order, as row after row then its dense block; but
 * class by class, with four classes' dense sums running side by side: one sum's
 * additions wait on each other, four independent ones do not (at 10k articles
 * this is a million multiply-adds per question, and the waiting was most of it).
 */
export function logits(
  model: SoftmaxModel,
  x: ClassifierInput,
  out: Float64Array,
  /** The dense block's kernel over this model's weights (a trained model's only: see DenseLogits). */
  kernel?: DenseLogits | null,
  /** The sparse rows' kernel over this model's weights (a trained model's only: see SparseLogits). */
  sparse?: SparseLogits | null,
): Float64Array {
  if (!sparse?.sumsInto(x, out)) sparseLogits(model, x, out);
  return addDense(model, x, out, kernel);
}

/** The sparse rows' sums of every class, into `out` (see `logits`). */
function sparseLogits(model: SoftmaxModel, x: ClassifierInput, out: Float64Array): void {
  const { classes, rowOf, weights } = model;
  const bases: number[] = [];
  const values: number[] = [];
  for (let k = 0; k < x.ids.length; k++) {
    const r = x.ids[k]! < rowOf.length ? rowOf[x.ids[k]!]! : -1;
    if (r < 0) continue;
    bases.push(r * classes);
    values.push(x.w[k]!);
  }
  const rows = bases.length;
  // Four classes' sums side by side here too (each still row after row): a third of the sparse part's CPU was
  // one sum waiting on itself (a micro-benchmark on the 10k classifier, 60 features: 1,400 -> 600 us).
  let c4 = 0;
  for (; c4 + 3 < classes; c4 += 4) {
    let z0 = 0;
    let z1 = 0;
    let z2 = 0;
    let z3 = 0;
    for (let j = 0; j < rows; j++) {
      const b = bases[j]! + c4;
      const v = values[j]!;
      z0 += weights[b]! * v;
      z1 += weights[b + 1]! * v;
      z2 += weights[b + 2]! * v;
      z3 += weights[b + 3]! * v;
    }
    out[c4] = z0;
    out[c4 + 1] = z1;
    out[c4 + 2] = z2;
    out[c4 + 3] = z3;
  }
  for (; c4 < classes; c4++) {
    let z = 0;
    for (let j = 0; j < rows; j++) z += weights[bases[j]! + c4]! * values[j]!;
    out[c4] = z;
  }
}

/** out[c] += class c's dense weights · the input's dense block, for every class (see `logits`). */
function addDense(
  model: SoftmaxModel,
  x: ClassifierInput,
  out: Float64Array,
  kernel?: DenseLogits | null,
): Float64Array {
  const { classes, denseWeights } = model;
  // A dense block of another length (vectors changed since training) is not this model's input: left out.
  const dense = x.dense;
  if (!dense || denseWeights.length !== dense.length * classes) return out;
  if (kernel?.addTo(dense, out)) return out;
  const D = dense.length;
  let c = 0;
  for (; c + 3 < classes; c += 4) {
    const b0 = c * D;
    const b1 = b0 + D;
    const b2 = b1 + D;
    const b3 = b2 + D;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let d = 0; d < D; d++) {
      const m = dense[d]!;
      s0 += denseWeights[b0 + d]! * m;
      s1 += denseWeights[b1 + d]! * m;
      s2 += denseWeights[b2 + d]! * m;
      s3 += denseWeights[b3 + d]! * m;
    }
    out[c]! += s0;
    out[c + 1]! += s1;
    out[c + 2]! += s2;
    out[c + 3]! += s3;
  }
  for (; c < classes; c++) out[c]! += denseDot(denseWeights, c, dense);
  return out;
}
