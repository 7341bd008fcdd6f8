import { FULL_SCORING_MAX } from './candidates.ts';
import { Csr, gatherMarkedIn, gatherWithinIn, longestPostings, takenColumns } from './csr.ts';
import type { SparseVector } from '../learners/softmaxRegression.ts';
import { WordBagsBuilder } from './wordBagsBuilder.ts';
import { BLOCK, narrowed, type BagPostings } from './bagPostings.ts';

const BM25 = { k1: 1.2, b: 0.75 };

/** On a KB above FULL_SCORING_MAX articles, a feature in more than this share of them gets a count column (see `columns`). */
const COLUMN_SHARE = 0.3;

/** A feature's count in every article (0 where its bag lacks it), as narrow as its counts allow. */
export type CountColumn = Uint8Array | Uint16Array | Float32Array;

/** Fitted bags as flat arrays, for the index snapshot. */
export interface WordBagParts {
  postings: BagPostings;
  /** Each article's length (features counted). */
  lengths: Float32Array;
}

/**
 * Each article as one bag of features (title, questions and body together),
 * for the two whole-article signals: how much of a question the article
 * covers, and BM25.
 */
export class WordBags {
  private readonly avgLength: number;

  private constructor(
    private readonly articles: number,
    private readonly postings: BagPostings,
    private readonly lengths: Float32Array,
    private readonly weightOf: (feature: number) => number,
  ) {
    this.avgLength = this.lengths.reduce((a, b) => a + b, 0) / Math.max(1, articles) || 1;
    const features = postings.starts.length - 1;
    this.blockCount = postings.blocks && features > 0 ? postings.blocks.length / features + 1 : 1;
  }

  /** Blocks of each feature's postings (see `BagPostings.blocks`): 1 up to 65,536 articles. */
  private readonly blockCount: number;

  /** Where block `b` of `feature`'s postings starts (`b` = blockCount: where they end). */
  private edge(feature: number, b: number): number {
    const { starts, blocks } = this.postings;
    const inner = this.blockCount - 1;
    return b === 0 ? starts[feature]! : b > inner ? starts[feature + 1]! : blocks![feature * inner + b - 1]!;
  }

  /** The bags saved as `parts` (each article's length, and the postings); `weightOf` is the space's. */
  static restore(parts: WordBagParts, weightOf: (feature: number) => number): WordBags {
    return new WordBags(parts.lengths.length, parts.postings, parts.lengths, weightOf);
  }

  /** The bags as flat arrays, for the index snapshot. */
  parts(): WordBagParts {
    return { postings: this.postings, lengths: this.lengths };
  }

  /**
   * Adds `q`'s weight² over the features at most `maxArticles` articles
   * contain into `into` (one slot per article), and lists each article it
   * touches the first time in `touched` (returns how many): the rare words a
   * question shares with an article, a cheap first cut among thousands.
   */
  rareOverlap(q: SparseVector, maxArticles: number, into: Float64Array, touched: Int32Array): number {
    const { starts, rows } = this.postings;
    let n = 0;
    for (let k = 0; k < q.ids.length; k++) {
      const id = q.ids[k]!;
      if (starts[id + 1]! - starts[id]! > maxArticles) continue;
      const w2 = q.w[k]! * q.w[k]!;
      if (!(w2 > 0)) continue;
      for (let b = 0; b < this.blockCount; b++) {
        const base = b * BLOCK;
        for (let p = this.edge(id, b), end = this.edge(id, b + 1); p < end; p++) {
          const a = base + rows[p]!;
          if (into[a] === 0) touched[n++] = a;
          into[a]! += w2;
        }
      }
    }
    return n;
  }

  /**
   * Collects the bags unit by unit (`add`, units article by article), so no
   * unit's counts need to be kept: `build` once the feature space is known.
   */
  static builder(articles: number): WordBagsBuilder {
    return new WordBagsBuilder(
      articles,
      (features, bags, lengths, weightOf) =>
        new WordBags(
          articles,
          narrowed(
            Csr.build(
              features,
              bags.map((vector, row) => ({ row, vector })),
            ),
          ),
          lengths,
          weightOf,
        ),
    );
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
    this.scoreMasked(q, null, coverage, bm25, minus);
  }

  /**
   * `score` for the articles `mask` marks (each 0 or 1) only (all when null):
   * each gets the same sums, added in the same order. `marked`: the marked
   * articles in increasing order, when the caller has them (see `columns`).
   */
  scoreMasked(
    q: SparseVector,
    mask: Uint8Array | null,
    coverage: Float32Array,
    bm25: Float32Array,
    minus?: { article: number; counts: ReadonlyMap<number, number> },
    marked?: Int32Array,
  ): void {
    if (mask && !minus) return this.scoreMarked(q, mask, coverage, bm25, marked);
    const { starts, rows, values } = this.postings;
    const minusLength = minus ? [...minus.counts.values()].reduce((x, y) => x + y, 0) : 0;
    for (let k = 0; k < q.ids.length; k++) {
      const id = q.ids[k]!;
      const qw = q.w[k]!;
      const n = starts[id + 1]! - starts[id]!;
      const idf = Math.log(1 + (this.articles - n + 0.5) / (n + 0.5)) * this.weightOf(id);
      for (let b = 0; b < this.blockCount; b++) {
        const base = b * BLOCK;
        for (let p = this.edge(id, b), end = this.edge(id, b + 1); p < end; p++) {
          const a = base + rows[p]!;
          if (mask && !mask[a]) continue;
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

  /**
   * `scoreMasked` without a unit taken out (every question asked, as opposed
   * to calibration's): the marked postings gathered first without a branch
   * (gatherMarked), and each article's length term read from `lengthNorms`
   * (the same double the expression gives). A feature with a count column
   * is read there at each of the `marked` articles instead: the same counts,
   * each article's added in the same order.
   */
  private scoreMarked(
    q: SparseVector,
    mask: Uint8Array,
    coverage: Float32Array,
    bm25: Float32Array,
    articles?: Int32Array,
  ): void {
    const { starts, rows, values } = this.postings;
    const positions = (this.positionsMemo ??= new Int32Array(longestPostings(starts)));
    const norms = this.lengthNorms();
    const columns = articles ? this.columns() : null;
    // Each block's view of the mask and its marked articles, numbered from the block's first as its rows are.
    const masks: Uint8Array[] = [];
    const keys: Int32Array[] = [];
    for (let b = 0, i = 0; b < this.blockCount; b++) {
      const base = b * BLOCK;
      masks.push(b ? mask.subarray(base) : mask);
      if (!articles) continue;
      // The last block takes the rest: the only one when rows are 32-bit (a file from before blocks).
      let j = b + 1 < this.blockCount ? i : articles.length;
      while (j < articles.length && articles[j]! < base + BLOCK) j++;
      keys.push(b ? articles.subarray(i, j).map((a) => a - base) : articles.subarray(i, j));
      i = j;
    }
    for (let k = 0; k < q.ids.length; k++) {
      const id = q.ids[k]!;
      const qw = q.w[k]!;
      const n = starts[id + 1]! - starts[id]!;
      const idf = Math.log(1 + (this.articles - n + 0.5) / (n + 0.5)) * this.weightOf(id);
      const column = articles && articles.length < n ? columns!.get(id) : undefined;
      if (column) {
        for (let i = 0; i < articles!.length; i++) {
          const a = articles![i]!;
          // Undefined past the column: an article watch mode added after the bags were fitted has no postings either.
          const tf = column[a]!;
          if (!(tf > 0)) continue;
          coverage[a]! += qw * qw;
          bm25[a]! += (idf * tf * (BM25.k1 + 1)) / (tf + norms[a]!);
        }
        continue;
      }
      for (let b = 0; b < this.blockCount; b++) {
        const base = b * BLOCK;
        const from = this.edge(id, b);
        const end = this.edge(id, b + 1);
        const marked = articles
          ? gatherWithinIn(rows, from, end, masks[b]!, positions, keys[b]!)
          : gatherMarkedIn(rows, from, end, masks[b]!, positions);
        for (let i = 0; i < marked; i++) {
          const p = positions[i]!;
          const a = base + rows[p]!;
          const tf = values[p]!;
          coverage[a]! += qw * qw;
          bm25[a]! += (idf * tf * (BM25.k1 + 1)) / (tf + norms[a]!);
        }
      }
    }
  }

  /** Scratch for `gatherMarked`, as long as the longest posting list (made on first use). */
  private positionsMemo: Int32Array | null = null;
  private columnsMemo: Map<number, CountColumn> | null = null;

  /**
   * Count columns of the features in more than COLUMN_SHARE of the articles,
   * on a KB above FULL_SCORING_MAX (none below), made on first use. At 10k
   * articles a question's words of that kind are about 80 % of the bag
   * postings its candidates' walk reads (every one, to find the few that
   * are candidates); their columns are read at the candidates only.
   * About 1,180 columns of 10,000 bytes (12 MB) at 10k articles; a lower
   * share would add more bytes than it saves CPU (a column read at every
   * candidate costs about as much as the gather of a feature in a tenth).
   */
  private columns(): Map<number, CountColumn> {
    if (this.columnsMemo) return this.columnsMemo;
    const columns = new Map<number, CountColumn>();
    const { starts, rows, values } = this.postings;
    if (this.articles > FULL_SCORING_MAX)
      for (let f = 0; f + 1 < starts.length; f++) {
        if (starts[f + 1]! - starts[f]! <= COLUMN_SHARE * this.articles) continue;
        let most = 0;
        for (let p = starts[f]!; p < starts[f + 1]!; p++) most = Math.max(most, values[p]!);
        // A column holds the very counts the postings do: bytes when they are small integers (8-bit postings'
        // always are; those were float32 columns, four times the bytes, until this was checked).
        // In shared memory: engine threads read the main thread's columns (`sharedColumns`).
        const n = this.articles;
        const column: CountColumn =
          values instanceof Float32Array
            ? new Float32Array(new SharedArrayBuffer(4 * n))
            : most <= 0xff
              ? new Uint8Array(new SharedArrayBuffer(n))
              : new Uint16Array(new SharedArrayBuffer(2 * n));
        for (let b = 0; b < this.blockCount; b++)
          for (let p = this.edge(f, b), end = this.edge(f, b + 1); p < end; p++)
            column[b * BLOCK + rows[p]!] = values[p]!;
        columns.set(f, column);
      }
    return (this.columnsMemo = columns);
  }

  /** The count columns, made now if not yet (in shared memory), for another thread's copy of these bags (`useColumns`). */
  sharedColumns(): ReadonlyMap<number, CountColumn> {
    return this.columns();
  }

  /** Another thread's columns of these same bags (`sharedColumns`), read instead of making its own. */
  useColumns(columns: ReadonlyMap<number, CountColumn>): void {
    this.columnsMemo ??= takenColumns(columns, this.postings.starts, this.articles, 'count columns');
  }

  private lengthNormsMemo: Float64Array | null = null;

  /** Each article's BM25 length term, `k1 · (1 − b + b · length / average length)`, computed on first use. */
  private lengthNorms(): Float64Array {
    if (this.lengthNormsMemo) return this.lengthNormsMemo;
    const norms = new Float64Array(this.lengths.length);
    for (let a = 0; a < norms.length; a++)
      norms[a] = BM25.k1 * (1 - BM25.b + (BM25.b * this.lengths[a]!) / this.avgLength);
    return (this.lengthNormsMemo = norms);
  }
}
