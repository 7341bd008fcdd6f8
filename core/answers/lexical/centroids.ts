import { FULL_SCORING_MAX } from './candidates.ts';
import { Csr, takenColumns, valueColumns } from './csr.ts';
import type { SparseVector } from '../learners/softmaxRegression.ts';

/** On a KB above FULL_SCORING_MAX articles, a feature in more than this share of the centroids gets a value column (see `columns`). */
const COLUMN_SHARE = 0.2;

/** Fitted centroids as flat arrays, for the index snapshot (see `Centroids.parts`). */
export interface CentroidParts {
  /** The sums, article after article: article a's features are ids[starts[a]..starts[a + 1]). */
  starts: Int32Array;
  ids: Int32Array;
  w: Float32Array;
  postings: Csr;
  norms: Float32Array;
  unitDots: Float32Array;
}

/**
 * Each article's centroid: the sum of its matched units' vectors (title,
 * questions, and passages when it lists few questions). The sum is kept
 * unnormalised, with its norm and each unit's dot product with it, so a
 * question can be scored as if one unit were not in the KB (calibration asks
 * the KB's own phrasings) without rebuilding anything.
 */
export class Centroids {
  private constructor(
    /**
     * Each article's sum (float32), flat: article a's features are ids[starts[a]..starts[a + 1]). Not an object
     * and two typed-array views per article: 23 MB at 100k articles, in every thread, that serving seldom reads.
     */
    private readonly flat: { starts: Int32Array; ids: Int32Array; w: Float32Array },
    /** The sums by feature: a question's dot product with every article in one pass. */
    readonly postings: Csr,
    private readonly norms: Float32Array,
    /** Dot product of each unit with its article's sum. */
    private readonly unitDots: Float32Array,
  ) {}

  /** How many articles. */
  get articles(): number {
    return this.norms.length;
  }

  /** Article a's sum: also what the classifier picks an article's rivals by. Empty past them (one watch mode added). */
  sum(a: number): SparseVector {
    const { starts, ids, w } = this.flat;
    if (!(a >= 0 && a < this.articles)) return { ids: new Int32Array(0), w: new Float32Array(0) };
    return { ids: ids.subarray(starts[a]!, starts[a + 1]!), w: w.subarray(starts[a]!, starts[a + 1]!) };
  }

  private sumsMemo: SparseVector[] | null = null;

  /** Every article's sum, made on first use: a classifier's training reads them all, serving does not. */
  get sums(): readonly SparseVector[] {
    return (this.sumsMemo ??= Array.from({ length: this.articles }, (_, a) => this.sum(a)));
  }

  /** `vectors[i]` is unit `i`'s unit-length vector; only matched units count in their article's sum (the others may be null). */
  static build(
    features: number,
    articles: number,
    vectors: readonly (SparseVector | null)[],
    units: readonly { article: number; matched: boolean }[],
  ): Centroids {
    // Summed in double precision; stored as float32 for the postings, while the norms and unit dots read the exact sums.
    // Article by article in flat arrays, each sum's features in order of first use: a Map per article held the
    // same sums in the same order, but each double as a heap number (millions at 10k articles, all surviving).
    const byArticle = unitsByArticle(articles, units);
    const position = new Int32Array(features);
    const stamp = new Int32Array(features).fill(-1);
    let ids = new Int32Array(1024);
    let sum = new Float64Array(1024);
    const starts = new Int32Array(articles + 1);
    let allIds = new Int32Array(1024);
    let allW = new Float32Array(1024);
    const norms = new Float32Array(articles);
    const unitDots = new Float32Array(units.length);
    for (let a = 0; a < articles; a++) {
      let n = 0;
      for (let p = byArticle.starts[a]!; p < byArticle.starts[a + 1]!; p++) {
        const v = vectors[byArticle.units[p]!]!;
        for (let k = 0; k < v.ids.length; k++) {
          const id = v.ids[k]!;
          if (stamp[id] === a) {
            sum[position[id]!]! += v.w[k]!;
            continue;
          }
          if (n === ids.length) {
            ids = grown(ids, new Int32Array(n * 2));
            sum = grown(sum, new Float64Array(n * 2));
          }
          stamp[id] = a;
          position[id] = n;
          ids[n] = id;
          sum[n++] = 0 + v.w[k]!;
        }
      }
      const at = starts[a]!;
      if (at + n > allIds.length) {
        const size = Math.max(2 * allIds.length, at + n);
        allIds = grown(allIds, new Int32Array(size));
        allW = grown(allW, new Float32Array(size));
      }
      allIds.set(ids.subarray(0, n), at);
      allW.set(sum.subarray(0, n), at);
      starts[a + 1] = at + n;
      let norm2 = 0;
      for (let i = 0; i < n; i++) norm2 += sum[i]! * sum[i]!;
      norms[a] = Math.sqrt(norm2);
      // Only matched units are ever taken out of a sum.
      for (let p = byArticle.starts[a]!; p < byArticle.starts[a + 1]!; p++) {
        const v = vectors[byArticle.units[p]!]!;
        let d = 0;
        for (let k = 0; k < v.ids.length; k++) d += v.w[k]! * sum[position[v.ids[k]!]!]!;
        unitDots[byArticle.units[p]!] = d;
      }
    }
    const length = starts[articles]!;
    const flat = { starts, ids: allIds.slice(0, length), w: allW.slice(0, length) };
    const sumOf = (a: number) => ({
      ids: flat.ids.subarray(starts[a]!, starts[a + 1]!),
      w: flat.w.subarray(starts[a]!, starts[a + 1]!),
    });
    return new Centroids(
      flat,
      Csr.build(
        features,
        Array.from({ length: articles }, (_, row) => ({ row, vector: sumOf(row) })),
      ),
      norms,
      unitDots,
    );
  }

  /** The centroids as flat arrays: `restore` gives them back without summing a unit. */
  parts(): CentroidParts {
    return { ...this.flat, postings: this.postings, norms: this.norms, unitDots: this.unitDots };
  }

  static restore(parts: CentroidParts): Centroids {
    const { starts, ids, w } = parts;
    if (starts.length !== parts.norms.length + 1 || starts[starts.length - 1] !== ids.length || w.length !== ids.length)
      throw new Error('centroid arrays disagree on their sizes');
    return new Centroids({ starts, ids, w }, parts.postings, parts.norms, parts.unitDots);
  }

  /**
   * The cosine of `q` to every article's centroid, into `out` (one slot per
   * article). `leaveOut` names a matched unit and `q`'s cosine to it: its
   * article is scored with that unit taken out of its sum.
   */
  score(q: SparseVector, out: Float32Array, leaveOut?: { unit: number; article: number; similarity: number }): void {
    this.postings.accumulate(q, out);
    for (let a = 0; a < out.length; a++) {
      if (leaveOut?.article === a) {
        // |sum − u|² = |sum|² − 2·sum·u + |u|², and a unit's vector has length 1.
        const norm2 = this.norms[a]! ** 2 - 2 * this.unitDots[leaveOut.unit]! + 1;
        out[a] = norm2 > 1e-6 ? (out[a]! - leaveOut.similarity) / Math.sqrt(norm2) : 0;
      } else out[a]! /= this.norms[a]! || 1;
    }
  }

  /**
   * `score` for the candidate `articles` only (`mask` marks them): `out[i]` is
   * the cosine of article `articles[i]`, the same number `score` gives it.
   * `sums` is scratch, one slot per article, all zero; left all zero.
   * `articles` in increasing order (as candidates.ts gives them).
   */
  scoreCandidates(
    q: SparseVector,
    articles: Int32Array,
    mask: Uint8Array,
    sums: Float32Array,
    out: Float32Array,
    leaveOut?: { unit: number; article: number; similarity: number },
  ): void {
    this.postings.accumulateMasked(q, mask, sums, { rows: articles, columns: this.columns() });
    for (let i = 0; i < articles.length; i++) {
      const a = articles[i]!;
      if (leaveOut?.article === a) {
        const norm2 = this.norms[a]! ** 2 - 2 * this.unitDots[leaveOut.unit]! + 1;
        out[i] = norm2 > 1e-6 ? (sums[a]! - leaveOut.similarity) / Math.sqrt(norm2) : 0;
      } else out[i] = sums[a]! / (this.norms[a]! || 1);
      sums[a] = 0;
    }
  }

  private columnsMemo: Map<number, Float32Array> | null = null;

  /**
   * Value columns of the features in more than COLUMN_SHARE of the
   * centroids, on a KB above FULL_SCORING_MAX (none below), made on first
   * use. At 10k articles a question's words of that kind are about 60 % of
   * the centroid postings its candidates' walk reads (every one, to find the
   * few that are candidates); their columns are read at the
   * candidates only. About 180 columns of 40,000 bytes (7.2 MB) at 10k
   * articles; each share point lower adds more bytes for less.
   */
  private columns(): Map<number, Float32Array> {
    const articles = this.norms.length;
    return (this.columnsMemo ??=
      articles > FULL_SCORING_MAX ? valueColumns(this.postings, articles, COLUMN_SHARE * articles) : new Map());
  }

  /** The value columns, made now if not yet (in shared memory), for another thread's copy of these centroids (`useColumns`). */
  sharedColumns(): ReadonlyMap<number, Float32Array> {
    return this.columns();
  }

  /** Another thread's columns of these same centroids (`sharedColumns`), read instead of making its own. */
  useColumns(columns: ReadonlyMap<number, Float32Array>): void {
    this.columnsMemo ??= takenColumns(columns, this.postings.starts, this.norms.length, 'value columns');
  }

  /** Cosine between two articles' centroids (by number). */
  cosine(i: number, j: number): number {
    const [x, y] = [this.sum(i), this.sum(j)];
    const weights = new Map(Array.from(x.ids, (id, k) => [id, x.w[k]!] as const));
    let d = 0;
    for (let k = 0; k < y.ids.length; k++) d += (weights.get(y.ids[k]!) ?? 0) * y.w[k]!;
    return d / ((this.norms[i]! || 1) * (this.norms[j]! || 1));
  }
}

/** Each article's matched units, in their order (an article's sum adds its units in that order). */
function unitsByArticle(
  articles: number,
  units: readonly { article: number; matched: boolean }[],
): { starts: Int32Array; units: Int32Array } {
  const starts = new Int32Array(articles + 1);
  units.forEach((u) => u.matched && starts[u.article + 1]!++);
  for (let a = 0; a < articles; a++) starts[a + 1]! += starts[a]!;
  const next = starts.slice(0, articles);
  const out = new Int32Array(starts[articles]!);
  units.forEach((u, i) => u.matched && (out[next[u.article]!++] = i));
  return { starts, units: out };
}

/** `into` (larger) with `from`'s values at its start. */
function grown<T extends Int32Array | Float32Array | Float64Array>(from: T, into: T): T {
  into.set(from);
  return into;
}
