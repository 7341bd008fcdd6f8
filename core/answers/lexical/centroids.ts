import { FULL_SCORING_MAX } from './candidates.ts';
import { Csr, valueColumns } from './csr.ts';
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
    /** Each article's sum (float32): also what the classifier picks an article's rivals by. */
    readonly sums: SparseVector[],
    /** The sums by feature: a question's dot product with every article in one pass. */
    readonly postings: Csr,
    private readonly norms: Float32Array,
    /** Dot product of each unit with its article's sum. */
    private readonly unitDots: Float32Array,
  ) {}

  /** `vectors[i]` is unit `i`'s unit-length vector; only matched units count in their article's sum (the others may be null). */
  static build(
    features: number,
    articles: number,
    vectors: readonly (SparseVector | null)[],
    units: readonly { article: number; matched: boolean }[],
  ): Centroids {
    // Summed in double precision; stored as float32 for the postings, while the norms and unit dots read the exact sums.
    const sums = Array.from({ length: articles }, () => new Map<number, number>());
    units.forEach((u, i) => {
      if (!u.matched) return;
      const v = vectors[i]!;
      const sum = sums[u.article]!;
      for (let k = 0; k < v.ids.length; k++) sum.set(v.ids[k]!, (sum.get(v.ids[k]!) ?? 0) + v.w[k]!);
    });
    const stored = sums.map(fromMap);
    return new Centroids(
      stored,
      Csr.build(
        features,
        stored.map((vector, row) => ({ row, vector })),
      ),
      Float32Array.from(sums, (s) => Math.sqrt([...s.values()].reduce((acc, x) => acc + x * x, 0))),
      Float32Array.from(units, (u, i) => {
        const v = vectors[i];
        // Only matched units are ever taken out of a sum.
        if (!u.matched || !v) return 0;
        let d = 0;
        for (let k = 0; k < v.ids.length; k++) d += v.w[k]! * (sums[u.article]!.get(v.ids[k]!) ?? 0);
        return d;
      }),
    );
  }

  /** The centroids as flat arrays: `restore` gives them back without summing a unit. */
  parts(): CentroidParts {
    const starts = new Int32Array(this.sums.length + 1);
    this.sums.forEach((s, a) => (starts[a + 1] = starts[a]! + s.ids.length));
    const ids = new Int32Array(starts[this.sums.length]!);
    const w = new Float32Array(ids.length);
    this.sums.forEach((s, a) => {
      ids.set(s.ids, starts[a]);
      w.set(s.w, starts[a]);
    });
    return { starts, ids, w, postings: this.postings, norms: this.norms, unitDots: this.unitDots };
  }

  static restore(parts: CentroidParts): Centroids {
    const { starts, ids, w } = parts;
    if (starts.length !== parts.norms.length + 1 || starts[starts.length - 1] !== ids.length || w.length !== ids.length)
      throw new Error('centroid arrays disagree on their sizes');
    const sums = Array.from(parts.norms, (_, a) => ({
      ids: ids.subarray(starts[a]!, starts[a + 1]!),
      w: w.subarray(starts[a]!, starts[a + 1]!),
    }));
    return new Centroids(sums, parts.postings, parts.norms, parts.unitDots);
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
   * tenth that are candidates); their columns are read at the ~1,000
   * candidates only. About 180 columns of 40,000 bytes (7.2 MB) at 10k
   * articles; each share point lower adds more bytes for less.
   */
  private columns(): Map<number, Float32Array> {
    const articles = this.norms.length;
    return (this.columnsMemo ??=
      articles > FULL_SCORING_MAX ? valueColumns(this.postings, articles, COLUMN_SHARE * articles) : new Map());
  }

  /** Cosine between two articles' centroids (by number). */
  cosine(i: number, j: number): number {
    const [x, y] = [this.sums[i]!, this.sums[j]!];
    const weights = new Map(Array.from(x.ids, (id, k) => [id, x.w[k]!] as const));
    let d = 0;
    for (let k = 0; k < y.ids.length; k++) d += (weights.get(y.ids[k]!) ?? 0) * y.w[k]!;
    return d / ((this.norms[i]! || 1) * (this.norms[j]! || 1));
  }
}

function fromMap(m: Map<number, number>): SparseVector {
  return { ids: Int32Array.from(m.keys()), w: Float32Array.from(m.values()) };
}
