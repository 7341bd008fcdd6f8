import { Csr } from './csr.ts';
import type { SparseVector } from '../learners/softmaxRegression.ts';

const BM25 = { k1: 1.2, b: 0.75 };

/**
 * Each article as one bag of features (title, questions and body together),
 * for the two whole-article signals: how much of a question the article
 * covers, and BM25.
 */
export class WordBags {
  private readonly postings: Csr;
  private readonly lengths: Float32Array;
  private readonly avgLength: number;

  /** `units` are feature counts, each belonging to `articleOf[i]`. */
  constructor(
    private readonly articles: number,
    features: number,
    units: ReadonlyMap<number, number>[],
    articleOf: (unit: number) => number,
    private readonly weightOf: (feature: number) => number,
  ) {
    const bags = Array.from({ length: articles }, () => new Map<number, number>());
    this.lengths = new Float32Array(articles);
    units.forEach((counts, i) => {
      const bag = bags[articleOf(i)]!;
      for (const [id, c] of counts) {
        bag.set(id, (bag.get(id) ?? 0) + c);
        this.lengths[articleOf(i)]! += c;
      }
    });
    this.postings = Csr.build(
      features,
      bags.map((b, row) => ({ row, vector: { ids: Int32Array.from(b.keys()), w: Float32Array.from(b.values()) } })),
    );
    this.avgLength = this.lengths.reduce((a, b) => a + b, 0) / Math.max(1, articles) || 1;
  }

  /**
   * Adds each article's coverage (Σ q² over the features it contains) and
   * BM25 into `coverage` and `bm25`. `minus` takes one unit's counts out of
   * its article first (calibration's left-out phrasing).
   */
  score(
    q: SparseVector,
    coverage: Float32Array,
    bm25: Float32Array,
    minus?: { article: number; counts: ReadonlyMap<number, number> },
  ): void {
    const { starts, rows, values } = this.postings;
    const minusLength = minus ? [...minus.counts.values()].reduce((x, y) => x + y, 0) : 0;
    for (let k = 0; k < q.ids.length; k++) {
      const id = q.ids[k]!;
      const qw = q.w[k]!;
      const n = starts[id + 1]! - starts[id]!;
      const idf = Math.log(1 + (this.articles - n + 0.5) / (n + 0.5)) * this.weightOf(id);
      for (let p = starts[id]!; p < starts[id + 1]!; p++) {
        const a = rows[p]!;
        let tf = values[p]!;
        let len = this.lengths[a]!;
        if (minus?.article === a) {
          tf -= minus.counts.get(id) ?? 0;
          len -= minusLength;
          if (tf <= 0) continue;
        }
        coverage[a]! += qw * qw;
        bm25[a]! += (idf * tf * (BM25.k1 + 1)) / (tf + BM25.k1 * (1 - BM25.b + (BM25.b * len) / this.avgLength));
      }
    }
  }
}
