import type { Csr } from './csr.ts';
import { logits, softmaxInPlace, trainSoftmax, type SoftmaxModel, type SparseVector } from './softmaxRegression.ts';

/** Above this many articles the classifier trains on a shortlist of close rivals per phrasing. */
const FULL_SOFTMAX_MAX = 200;
const SHORTLIST = 40;

/**
 * The KB's classifier: which article does a phrasing belong to? Trained on
 * the articles' own phrasings (inputs already projected to what it reads).
 * It can be retrained without some phrasings, for calibration.
 */
export class PhraseClassifier {
  private model: SoftmaxModel;

  constructor(
    private readonly inputs: (SparseVector | null)[],
    private readonly articleOf: (unit: number) => number,
    private readonly articles: number,
    private readonly features: number,
    private readonly centroids: { postings: Csr; sums: SparseVector[] },
    without: ReadonlySet<number> = new Set(),
  ) {
    this.model = this.train(without);
  }

  /** The same classifier, retrained without `units`. */
  without(units: ReadonlySet<number>): PhraseClassifier {
    return new PhraseClassifier(this.inputs, this.articleOf, this.articles, this.features, this.centroids, units);
  }

  /** Probability of each article for `q` (projected), over the allowed articles only. */
  probabilities(q: SparseVector, allowed: (article: number) => boolean): Float64Array {
    const z = logits(this.model, q, new Float64Array(this.articles));
    softmaxInPlace(z, allowed);
    return z;
  }

  private train(without: ReadonlySet<number>): SoftmaxModel {
    const rivals = new Map<number, Int32Array>();
    const examples = this.inputs.flatMap((x, i) => {
      if (!x || without.has(i)) return [];
      const article = this.articleOf(i);
      if (this.articles > FULL_SOFTMAX_MAX && !rivals.has(article)) rivals.set(article, this.rivals(article));
      return [{ x, y: article, shortlist: rivals.get(article) }];
    });
    return trainSoftmax(examples, this.articles, this.features);
  }

  /** The article itself and the SHORTLIST − 1 articles whose centroids are closest to its own: those it can be confused with. */
  private rivals(article: number): Int32Array {
    const sims = new Float32Array(this.articles);
    this.centroids.postings.accumulate(this.centroids.sums[article]!, sims);
    sims[article] = Infinity;
    return topIndices(sims, SHORTLIST);
  }
}

/** Indices of the `k` largest values, in no particular order. */
function topIndices(values: Float32Array, k: number): Int32Array {
  if (values.length <= k) return Int32Array.from(values.keys());
  const threshold = Float32Array.from(values).sort()[values.length - k]!;
  const out: number[] = [];
  for (let i = 0; i < values.length && out.length < k; i++) if (values[i]! > threshold) out.push(i);
  for (let i = 0; i < values.length && out.length < k; i++) if (values[i] === threshold) out.push(i);
  return Int32Array.from(out);
}
