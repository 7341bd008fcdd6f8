import type { Csr } from '../lexical/csr.ts';
import {
  logits,
  softmaxInPlace,
  trainSoftmax,
  TRAIN_DEFAULTS,
  type ClassifierInput,
  type SoftmaxModel,
  type SparseVector,
} from './softmaxRegression.ts';
import { classifierRivals, type RivalsFinder } from './rivals.ts';
import { DenseLogits } from './denseLogits.ts';
import { SparseLogits } from './sparseLogits.ts';

/** A trained classifier and the fingerprint of what it was trained on (see `PhraseClassifier.fingerprint`). */
export interface SavedClassifier {
  fingerprint: string;
  model: SoftmaxModel;
}

/** Above this many articles the classifier trains on a shortlist of close rivals per phrasing. */
const FULL_SOFTMAX_MAX = 200;
const SHORTLIST = 40;

/** How many rivals (itself included) a classifier of `articles` articles trains each article against, or null: all. */
export function rivalsWanted(articles: number): number | null {
  return articles > FULL_SOFTMAX_MAX ? SHORTLIST : null;
}

/**
 * What a classifier is retrained from: each unit's input (null for units it
 * does not read), and each article's rivals (the articles its training
 * example is compared with, when there are too many articles for all of them).
 */
export interface ClassifierTraining {
  inputs: (ClassifierInput | null)[];
  rivals: Map<number, Int32Array>;
}

/**
 * Everything retraining a classifier reads, as data another thread can be
 * sent (an index build retrains its calibration folds on two threads): its
 * training, each unit's article, and the model's sizes.
 */
export interface ClassifierRetraining {
  training: ClassifierTraining;
  articleOf: Int32Array;
  articles: number;
  features: number;
}

/**
 * The KB's classifier: which article does a phrasing belong to? Trained on
 * the articles' own phrasings (inputs already projected to what it reads).
 * It can be retrained without some phrasings, for calibration.
 */
export class PhraseClassifier {
  private model: SoftmaxModel;
  private readonly rivalsOf: Map<number, Int32Array>;
  private readonly findRivals: RivalsFinder;
  private inputsMemo: (ClassifierInput | null)[] | null = null;
  private fingerprintMemo: string | null = null;

  /**
   * `inputs`: each unit's input (null for units it does not read), or a
   * function that computes them: a classifier loaded with its index computes
   * them only if it is ever retrained (calibration), never to answer.
   */
  constructor(
    private readonly inputsOf: (ClassifierInput | null)[] | (() => (ClassifierInput | null)[]),
    private readonly articleOf: (unit: number) => number,
    /** How many articles it tells apart: the model's at its training (watch mode may add articles it never saw). */
    readonly articles: number,
    private readonly features: number,
    private readonly centroids: { postings: Csr; sums: readonly SparseVector[] },
    options: {
      /** Phrasings to train without. */
      without?: ReadonlySet<number>;
      /** The model trained without them elsewhere (`PhraseClassifier.retrain`): used instead of training. */
      trained?: SoftmaxModel;
      /** Rivals depend on the centroids only: shared by every retraining (calibration retrains per fold). */
      rivalsOf?: Map<number, Int32Array>;
      /** A model saved with the index: used instead of training when it was trained on exactly these inputs. */
      saved?: SavedClassifier;
      /**
       * The saved model is known to be trained on these inputs (it was stored beside the rest of the fitted
       * model, which names its fingerprint): used without computing the inputs to check.
       */
      trusted?: boolean;
      /** Where its rivals are found, if it needs them (classifierRivals by default). */
      findRivals?: RivalsFinder;
      /**
       * Told what it trains from (`retraining()`) once its rivals are found, before it trains on everything: an
       * index build retrains its calibration fold from it on another thread meanwhile.
       */
      onTraining?: (retraining: ClassifierRetraining) => void;
    } = {},
  ) {
    const { without = new Set<number>(), saved, trusted = false } = options;
    this.rivalsOf = options.rivalsOf ?? new Map();
    this.findRivals = options.findRivals ?? classifierRivals;
    if (options.trained) this.model = options.trained;
    else if (saved && !without.size && (trusted || saved.fingerprint === this.fingerprint())) {
      this.model = saved.model;
      this.fingerprintMemo = saved.fingerprint;
    } else this.model = this.train(without, options.onTraining);
  }

  private get inputs(): (ClassifierInput | null)[] {
    return (this.inputsMemo ??= typeof this.inputsOf === 'function' ? this.inputsOf() : this.inputsOf);
  }

  /** What it is retrained from: its inputs (computed now if not yet) and the rivals known so far. */
  training(): ClassifierTraining {
    return { inputs: this.inputs, rivals: this.rivalsOf };
  }

  /** The trained model, to store with the index. */
  save(): SavedClassifier {
    return { fingerprint: (this.fingerprintMemo ??= this.fingerprint()), model: this.model };
  }

  /**
   * A 64-bit hash of everything training reads (inputs, labels, sizes,
   * settings): a saved model whose fingerprint differs was trained on
   * something else (another KB, or features changed since) and is retrained.
   */
  fingerprint(): string {
    let a = 0x811c9dc5;
    let b = 0x01000193;
    const mix = (x: number) => {
      a = Math.imul(a ^ x, 0x01000193);
      b = Math.imul(b ^ x, 0x5bd1e995) ^ (b >>> 15);
    };
    for (const c of JSON.stringify({
      TRAIN_DEFAULTS,
      FULL_SOFTMAX_MAX,
      SHORTLIST,
      articles: this.articles,
      features: this.features,
    }))
      mix(c.charCodeAt(0));
    this.inputs.forEach((x, i) => {
      if (!x) return;
      mix(i);
      mix(this.articleOf(i));
      mix(x.ids.length);
      for (let k = 0; k < x.ids.length; k++) mix(x.ids[k]!);
      for (const bits of new Int32Array(x.w.buffer, x.w.byteOffset, x.w.length)) mix(bits);
      mix(x.dense?.length ?? 0);
      if (x.dense) for (const bits of new Int32Array(x.dense.buffer, x.dense.byteOffset, x.dense.length)) mix(bits);
    });
    return `${(a >>> 0).toString(16).padStart(8, '0')}${(b >>> 0).toString(16).padStart(8, '0')}`;
  }

  /** The same classifier, retrained without `units` (or `trained`: already retrained so, by `retrain`). */
  without(units: ReadonlySet<number>, trained?: SoftmaxModel): PhraseClassifier {
    return new PhraseClassifier(() => this.inputs, this.articleOf, this.articles, this.features, this.centroids, {
      without: units,
      rivalsOf: this.rivalsOf,
      ...(trained ? { trained } : {}),
    });
  }

  /** What `retrain` reads to retrain it, with every article's rivals found (the centroids are not sent). */
  retraining(): ClassifierRetraining {
    this.ensureRivals();
    const articleOf = Int32Array.from(this.inputs, (_, i) => this.articleOf(i));
    return { training: this.training(), articleOf, articles: this.articles, features: this.features };
  }

  /** The model `without(units)` trains, from its `retraining()` alone: on another thread, the same bits. */
  static retrain(
    { training, articleOf, articles, features }: ClassifierRetraining,
    units: ReadonlySet<number>,
  ): SoftmaxModel {
    return trainSoftmax(
      examplesOf(training, (i) => articleOf[i]!, units),
      articles,
      features,
    );
  }

  /** The dense block's and the sparse rows' kernels, made on the first question (the model no longer changes once constructed). */
  private denseMemo: DenseLogits | null | undefined;
  private sparseMemo: SparseLogits | null | undefined;

  /** Probability of each article for `q` (projected), over the allowed articles only; into `out` when given. */
  probabilities(q: ClassifierInput, allowed: (article: number) => boolean, out?: Float64Array): Float64Array {
    if (q.dense && this.denseMemo === undefined)
      this.denseMemo = DenseLogits.of(this.model.denseWeights, this.model.classes);
    if (this.sparseMemo === undefined) this.sparseMemo = SparseLogits.of(this.model);
    const z = logits(this.model, q, out ?? new Float64Array(this.articles), this.denseMemo, this.sparseMemo);
    softmaxInPlace(z, allowed);
    return z;
  }

  private train(without: ReadonlySet<number>, onTraining?: (retraining: ClassifierRetraining) => void): SoftmaxModel {
    this.ensureRivals();
    if (!without.size) onTraining?.(this.retraining());
    return trainSoftmax(examplesOf(this.training(), this.articleOf, without), this.articles, this.features);
  }

  /** Every article's at once (see classifierRivals: exact up to a cost, then budgeted), shared by the retrainings. */
  private ensureRivals(): void {
    const rivals = this.rivalsOf;
    const k = rivalsWanted(this.articles);
    if (k !== null && !rivals.size)
      this.findRivals(this.centroids.postings, this.centroids.sums, k).forEach((list, a) => rivals.set(a, list));
  }
}

/** The training examples: each unit read (but `without`), labelled with its article, with that article's rivals. */
function examplesOf(
  { inputs, rivals }: ClassifierTraining,
  articleOf: (unit: number) => number,
  without: ReadonlySet<number>,
): { x: ClassifierInput; y: number; shortlist: Int32Array | undefined }[] {
  return inputs.flatMap((x, i) => {
    if (!x || without.has(i)) return [];
    const article = articleOf(i);
    return [{ x, y: article, shortlist: rivals.get(article) }];
  });
}
