import { FULL_SCORING_MAX } from './candidates.ts';
import { Csr, gatherMarkedIn, gatherWithinIn, longestPostings } from './csr.ts';
import type { SparseVector } from '../learners/softmaxRegression.ts';
import { WordBagsBuilder } from './wordBagsBuilder.ts';

const BM25 = { k1: 1.2, b: 0.75 };

/** On a KB above FULL_SCORING_MAX articles, a feature in more than this share of them gets a count column (see `columns`). */
const COLUMN_SHARE = 0.3;

/** A feature's count in every article (0 where its bag lacks it), as narrow as its counts allow. */
type CountColumn = Uint8Array | Uint16Array | Float32Array;

/**
 * The bags by feature: for each feature, the articles whose bag holds it and
 * how many times. Articles and counts are 16-bit integers when they fit
 * (below 65,536 articles, and counts are small): half the memory and file of
 * int32 and float32, 69 MB less at 10k articles, for the same numbers.
 * Counts are 8-bit when every one is below 256 (at most 87 at 10k
 * articles): 17 MB less again. Above 65,536 articles the articles stay
 * 16-bit, in blocks (`blocks`).
 */
export interface BagPostings {
  starts: Int32Array;
  rows: Int32Array | Uint16Array;
  values: Float32Array | Uint16Array | Uint8Array;
  /**
   * With more than 65,536 articles: a feature's postings, in increasing
   * article order, fall into blocks of 65,536 articles (BLOCK), each row
   * 16-bit from its block's first article, and `blocks[f · (B − 1) + b − 1]`
   * is where feature f's block b starts (b from 1, B blocks). At 100k
   * articles the rows were 690 of the served snapshot's 4,000 MB as int32;
   * the blocks add 2.4 MB. Absent: one block, rows as they are.
   */
  blocks?: Int32Array;
}

/** Articles per block of `BagPostings.blocks`: what a 16-bit row numbers. */
export const BLOCK = 0x10000;

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
   * postings its candidates' walk reads (every one, to find the tenth that
   * are candidates); their columns are read at the ~1,000 candidates only.
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
        const column: CountColumn =
          values instanceof Float32Array
            ? new Float32Array(this.articles)
            : most <= 0xff
              ? new Uint8Array(this.articles)
              : new Uint16Array(this.articles);
        for (let b = 0; b < this.blockCount; b++)
          for (let p = this.edge(f, b), end = this.edge(f, b + 1); p < end; p++)
            column[b * BLOCK + rows[p]!] = values[p]!;
        columns.set(f, column);
      }
    return (this.columnsMemo = columns);
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

/**
 * `postings` with its articles as 16-bit integers (in blocks above 65,536
 * articles) and its counts as 8- or 16-bit ones where every one fits (see
 * `BagPostings`).
 */
export function narrowed({ starts, rows, values }: BagPostings): BagPostings {
  const counts = asUnsigned(values, Uint8Array, 0xff) ?? asUint16(values) ?? values;
  const short = asUint16(rows);
  return short ? { starts, rows: short, values: counts } : { starts, ...inBlocks(starts, rows), values: counts };
}

/** 32-bit rows (in increasing order per feature, as Csr.build adds them) as 16-bit ones in blocks of BLOCK. */
function inBlocks(starts: Int32Array, rows: Int32Array | Uint16Array): { rows: Uint16Array; blocks: Int32Array } {
  const features = starts.length - 1;
  let most = 0;
  for (let p = 0; p < rows.length; p++) most = Math.max(most, rows[p]!);
  const inner = Math.floor(most / BLOCK);
  const blocks = new Int32Array(features * inner);
  const low = new Uint16Array(rows.length);
  for (let f = 0; f < features; f++) {
    let b = 1;
    for (let p = starts[f]!; p < starts[f + 1]!; p++) {
      const row = rows[p]!;
      while (b <= inner && row >= b * BLOCK) blocks[f * inner + b++ - 1] = p;
      low[p] = row % BLOCK;
    }
    while (b <= inner) blocks[f * inner + b++ - 1] = starts[f + 1]!;
  }
  return { rows: low, blocks };
}

/** The same numbers as 16-bit integers, or null when one is not such an integer. */
function asUint16(a: Int32Array | Float32Array | Uint16Array | Uint8Array): Uint16Array | null {
  return asUnsigned(a, Uint16Array, 0xffff);
}

/** The same numbers as integers of `Type` (at most `max`), or null when one is not such an integer. */
function asUnsigned<T extends Uint8Array | Uint16Array>(
  a: Int32Array | Float32Array | Uint16Array | Uint8Array,
  Type: new (length: number) => T,
  max: number,
): T | null {
  if (a instanceof Type) return a;
  const out = new Type(a.length);
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    if (!(x >= 0 && x <= max && Number.isInteger(x))) return null;
    out[i] = x;
  }
  return out;
}
