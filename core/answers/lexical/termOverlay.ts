import type { SparseVector } from '../learners/softmaxRegression.ts';
import type { Lang } from '../../contracts/api.ts';
import { featureCodes, featureWeight } from './textFeatures.ts';
import type { TermSpace } from './termSpace.ts';
import { unitsOf, type TermDoc } from './termUnits.ts';
import type { TermScores } from './termScores.ts';
import type { WordBagParts } from './wordBags.ts';

const BM25 = { k1: 1.2, b: 0.75 };

/** One added or edited article, read in the base model's feature space. */
interface OverlayArticle {
  /** Its number in the model: the base's for an edited article, one past the base's for an added one. */
  number: number;
  /** Its matched units' vectors (title, questions, and passages when it lists few questions). */
  units: SparseVector[];
  /** The sum of those vectors, and its length: the centroid. */
  sum: Map<number, number>;
  norm: number;
  /** Every unit's feature counts together (coverage, BM25), and how many features that is. */
  bag: Map<number, number>;
  length: number;
}

/**
 * Articles added or edited since the model was fitted (watch mode's delta),
 * scored beside it without fitting it again. They are read in the fitted
 * space: the base's idf, document frequencies and average length stay as
 * they were. A feature no base article uses (a new product name) gets an id
 * past the space's, weighed with the idf the space gives unknown features;
 * a question's unknown features already count that weight in its length, so
 * naming them (`extend`) leaves its other weights as they were. The
 * classifier never saw these articles: their probability is their closest
 * phrasing's cosine squared, an exact question scoring 1. A full build
 * replaces all of this with what fitting on the whole KB gives.
 */
export class TermOverlay {
  private constructor(
    private readonly articles: OverlayArticle[],
    private readonly bags: WordBagParts,
    private readonly avgLength: number,
    private readonly weightOf: (feature: number) => number,
    private readonly space: TermSpace,
    /** Codes of the features only overlay articles use → their ids, past the space's. */
    private readonly extra: ReadonlyMap<number, number>,
  ) {}

  /** `numberOf` gives each doc its number in the model (a new one for an article the base does not have). */
  static build(
    space: TermSpace,
    docs: readonly TermDoc[],
    numberOf: (id: string) => number,
    bags: WordBagParts,
  ): TermOverlay {
    const extra = new Map<number, number>();
    const extraWeight = new Map<number, number>();
    const articles = docs.map((doc): OverlayArticle => {
      const a: OverlayArticle = {
        number: numberOf(doc.id),
        units: [],
        sum: new Map(),
        norm: 0,
        bag: new Map(),
        length: 0,
      };
      for (const unit of unitsOf([doc])) {
        const { counts, unknownNorm2 } = space.count(unit.text, doc.lang);
        const unknown = unknownCounts(space, unit.text, doc.lang);
        for (const code of unknown.keys())
          if (!extra.has(code)) {
            extra.set(code, space.size + extra.size);
            extraWeight.set(space.size + extra.size - 1, featureWeight(code));
          }
        for (const [id, c] of counts) a.bag.set(id, (a.bag.get(id) ?? 0) + c);
        for (const [code, c] of unknown) a.bag.set(extra.get(code)!, (a.bag.get(extra.get(code)!) ?? 0) + c);
        // The bag's length counts every feature, as a build does (every feature is the KB's there).
        a.length += featureCodes(unit.text, doc.lang).length;
        if (!unit.matched) continue;
        const v = withUnknown(space.weigh(counts, unknownNorm2), unknownNorm2, unknown, space, extra);
        a.units.push(v);
        for (let k = 0; k < v.ids.length; k++) a.sum.set(v.ids[k]!, (a.sum.get(v.ids[k]!) ?? 0) + v.w[k]!);
      }
      a.norm = Math.sqrt([...a.sum.values()].reduce((acc, x) => acc + x * x, 0));
      return a;
    });
    const { lengths } = bags;
    const avgLength = lengths.reduce((x, y) => x + y, 0) / Math.max(1, lengths.length) || 1;
    const weightOf = (id: number) => extraWeight.get(id) ?? space.weightOf(id);
    return new TermOverlay(articles, bags, avgLength, weightOf, space, extra);
  }

  /** A question read by the base model, with its features only overlay articles use named too (see the class). */
  extend<Q extends SparseVector>(q: Q, text: string, lang: Lang): Q {
    if (!this.extra.size) return q;
    const unknown = unknownCounts(this.space, text, lang);
    const { unknownNorm2 } = this.space.count(text, lang);
    return { ...q, ...withUnknown(q, unknownNorm2, unknown, this.space, this.extra) };
  }

  /** The overlay articles' numbers in the model (added and edited ones). */
  numbers(): number[] {
    return this.articles.map((a) => a.number);
  }

  /**
   * Overwrite the overlay articles' evidence for `q` in `out` (the base
   * articles' stays as the base scored it). `articles`: the candidates `out`
   * is indexed by (in increasing order, `TermModel.scoreCandidates`), an
   * overlay article that is not one of them left out; without it, `out` is
   * indexed by article number.
   */
  score(q: SparseVector, out: TermScores, articles?: Int32Array): void {
    const weights = new Map<number, number>();
    for (let k = 0; k < q.ids.length; k++) weights.set(q.ids[k]!, q.w[k]!);
    const { starts } = this.bags.postings;
    const total = this.bags.lengths.length;
    for (const a of this.articles) {
      const i = articles ? indexOf(articles, a.number) : a.number;
      if (i < 0) continue;
      let nearest = 0;
      let second = 0;
      for (const v of a.units) {
        let s = 0;
        for (let k = 0; k < v.ids.length; k++) s += (weights.get(v.ids[k]!) ?? 0) * v.w[k]!;
        if (s > nearest) [second, nearest] = [nearest, s];
        else if (s > second) second = s;
      }
      let dot = 0;
      for (const [id, w] of a.sum) dot += (weights.get(id) ?? 0) * w;
      let coverage = 0;
      let bm25 = 0;
      for (let k = 0; k < q.ids.length; k++) {
        const id = q.ids[k]!;
        const tf = a.bag.get(id);
        if (!tf) continue;
        const n = id + 1 < starts.length ? starts[id + 1]! - starts[id]! : 0;
        const idf = Math.log(1 + (total - n + 0.5) / (n + 0.5)) * this.weightOf(id);
        coverage += q.w[k]! * q.w[k]!;
        bm25 += (idf * tf * (BM25.k1 + 1)) / (tf + BM25.k1 * (1 - BM25.b + (BM25.b * a.length) / this.avgLength));
      }
      out.nearest[i] = nearest;
      out.second[i] = second;
      out.centroid[i] = a.norm ? dot / a.norm : 0;
      out.coverage[i] = coverage;
      out.bm25[i] = bm25;
      out.probability[i] = nearest * nearest;
    }
  }

  /** Cosine between an overlay article's centroid and `other` (a sum, with its norm); null when `number` is not one of them. */
  cosine(number: number, other: SparseVector | Map<number, number>, otherNorm: number): number | null {
    const a = this.articles.find((x) => x.number === number);
    if (!a) return null;
    let d = 0;
    if (other instanceof Map) for (const [id, w] of other) d += (a.sum.get(id) ?? 0) * w;
    else for (let k = 0; k < other.ids.length; k++) d += (a.sum.get(other.ids[k]!) ?? 0) * other.w[k]!;
    return d / ((a.norm || 1) * (otherNorm || 1));
  }

  /** An overlay article's centroid sum and norm, by number (for `cosine` between two overlay articles). */
  sumOf(number: number): { sum: Map<number, number>; norm: number } | null {
    const a = this.articles.find((x) => x.number === number);
    return a ? { sum: a.sum, norm: a.norm } : null;
  }
}

/** How often each feature the space does not know occurs in `text`, by code. */
function unknownCounts(space: TermSpace, text: string, lang: Lang): Map<number, number> {
  const out = new Map<number, number>();
  for (const code of featureCodes(text, lang))
    if (space.idOf(code) === undefined) out.set(code, (out.get(code) ?? 0) + 1);
  return out;
}

/**
 * `v` (a unit vector whose length counts `unknownNorm2`, the squared weight
 * of its unknown features) with those of them `extra` numbers as components.
 * Their weights are those `unknownNorm2` was summed from, so the length and
 * every other weight stay as they were: |v|² = 1 − unknownNorm2 / norm².
 */
function withUnknown(
  v: SparseVector,
  unknownNorm2: number,
  unknown: ReadonlyMap<number, number>,
  space: TermSpace,
  extra: ReadonlyMap<number, number>,
): SparseVector {
  const known = v.w.reduce((acc, x) => acc + x * x, 0);
  if (unknownNorm2 <= 0 || known >= 1) return v;
  const norm = Math.sqrt(unknownNorm2 / (1 - known));
  const { unknownIdf } = space.parts();
  const ids = [...v.ids];
  const w = [...v.w];
  for (const [code, c] of unknown) {
    const id = extra.get(code);
    if (id === undefined) continue;
    ids.push(id);
    w.push(((1 + Math.log(c)) * unknownIdf * featureWeight(code)) / norm);
  }
  return { ids: Int32Array.from(ids), w: Float32Array.from(w) };
}

/** Where `n` is in the increasing `sorted`, or -1. */
function indexOf(sorted: Int32Array, n: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] === n) return mid;
    if (sorted[mid]! < n) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
