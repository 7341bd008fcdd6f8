import type { Lang } from '../../contracts/api.ts';
import type { SparseVector } from '../learners/softmaxRegression.ts';
import { CodeNumbering, CodeTable } from './codeTable.ts';
import { words } from '../../text/analyze.ts';
import { CHAR_WEIGHT, featureCodesOf, featureWeight, KIND, kindOf, wordFeatureCodes } from './textFeatures.ts';

/** How often each feature occurs in one text, by feature id. */
export type FeatureCounts = Map<number, number>;

/** A fitted space as flat arrays, for the index snapshot (see `TermSpace.parts`). */
export interface TermSpaceParts {
  codes: Uint32Array;
  slots: Int32Array;
  kinds: Uint8Array;
  idf: Float32Array;
  unknownIdf: number;
}

/** 4-grams weigh 0.7 of a word in the classifier (0.5 elsewhere). */
const CLASSIFIER_CHAR_BOOST = 1.4;
/** The classifier reads idf + 2 instead of idf: it learns its own weights, and flatter input weights let it (+0.5 pt on the larger dev sets). */
const CLASSIFIER_IDF_FLATTEN = 2;

/**
 * The KB's feature space: a dense id for each feature code its texts use
 * (numbered in order of first use, so the same KB always gets the same ids
 * and a saved classifier still fits), each feature's kind, and its idf over
 * the articles. A question's features the KB never uses get no id: they only
 * lengthen its vector (`weigh`), which dilutes every match.
 */
export class TermSpace {
  private constructor(
    private readonly codes: CodeTable,
    private readonly kinds: Uint8Array,
    private readonly idf: Float32Array,
    /** The idf of a feature no article uses: that of a feature in none of them. */
    private readonly unknownIdf: number,
  ) {}

  /**
   * Numbers the features of the KB's units and fits idf. Units arrive
   * article by article (each with its article's number and language).
   * `visit` sees every unit's feature counts once, in order of first use
   * (valid during the call only); the counts of the units `keep` accepts
   * are returned as maps, in the same order (null for the others). On a KB
   * of 10k articles the body passages hold tens of millions of (unit,
   * feature) pairs: kept as one map each they took gigabytes, so only what
   * is asked for is kept.
   */
  static fit(
    /** `words`: the text's `words()`, when the caller has them already. */
    units: readonly { text: string; lang: Lang; article: number; words?: readonly string[] }[],
    articles: number,
    options: {
      keep?: (unit: number) => boolean;
      visit?: (unit: number, ids: Int32Array, counts: Int32Array, n: number) => void;
    } = {},
  ): { space: TermSpace; counts: (FeatureCounts | null)[] } {
    const { keep = () => true, visit } = options;
    const codes = new CodeNumbering();
    const scratch = new UnitScratch();
    let df = new Float32Array(1024);
    let lastSeen = new Int32Array(1024).fill(-1);
    // Each word's feature ids, numbered on its first use: a KB repeats the same words, and hashing every gram of
    // every word and looking each up among two million codes cost more than the counting (splitting and fitting
    // the 10k bench KB: 7.0-7.2 -> 3.1-5.2 s of CPU). A text's codes are its words' in turn, so the ids come out
    // as numbered code by code.
    const idsOfWord = new Map<Lang, Map<string, Int32Array>>();
    const wordCodes: number[] = [];
    const counts = units.map((u, i) => {
      scratch.start();
      let known = idsOfWord.get(u.lang);
      if (!known) idsOfWord.set(u.lang, (known = new Map()));
      for (const w of u.words ?? words(u.text)) {
        let ids = known.get(w);
        if (!ids) {
          wordCodes.length = 0;
          wordFeatureCodes(w, u.lang, wordCodes);
          ids = Int32Array.from(wordCodes, (code) => codes.idOf(code));
          while (codes.size > df.length) {
            df = grownFloats(df);
            lastSeen = grown(lastSeen, -1);
          }
          known.set(w, ids);
        }
        for (let k = 0; k < ids.length; k++) scratch.add(ids[k]!);
      }
      const { ids, counts: c, n } = scratch;
      // idf over articles, not units: a word every article uses says nothing about which one, however often
      // each repeats it. Units come article by article, so the last article that counted a feature counts each once.
      for (let k = 0; k < n; k++)
        if (lastSeen[ids[k]!] !== u.article) {
          lastSeen[ids[k]!] = u.article;
          df[ids[k]!]!++;
        }
      visit?.(i, ids, c, n);
      if (!keep(i)) return null;
      const unitCounts: FeatureCounts = new Map();
      for (let k = 0; k < n; k++) unitCounts.set(ids[k]!, c[k]!);
      return unitCounts;
    });
    const byId = codes.byId();
    const kinds = Uint8Array.from(byId, (code) => kindOf(code));
    const idf = df.subarray(0, codes.size).map((x) => Math.log((articles + 1) / (x + 1)) + 1);
    return { space: new TermSpace(CodeTable.of(byId), kinds, idf, Math.log(articles + 1) + 1), counts };
  }

  /** The fitted space as flat arrays: `restore` gives it back without counting a single text. */
  parts(): TermSpaceParts {
    const { codes, slots } = this.codes;
    return { codes, slots, kinds: this.kinds, idf: this.idf, unknownIdf: this.unknownIdf };
  }

  static restore(parts: TermSpaceParts): TermSpace {
    if (parts.kinds.length !== parts.codes.length || parts.idf.length !== parts.codes.length)
      throw new Error('term space arrays disagree on their sizes');
    return new TermSpace(CodeTable.restore(parts.codes, parts.slots), parts.kinds, parts.idf, parts.unknownIdf);
  }

  /** Number of features the KB uses. */
  get size(): number {
    return this.kinds.length;
  }

  /** The id of a feature code, or undefined when no text of the KB has it. */
  idOf(code: number): number | undefined {
    return this.codes.get(code);
  }

  /** A word counts 1, a character gram CHAR_WEIGHT. */
  weightOf(id: number): number {
    return this.kinds[id] === KIND.word ? 1 : CHAR_WEIGHT;
  }

  /**
   * A question's features: the counts of those the KB uses, and the squared
   * tf-idf weight of the others, which `weigh` adds to the vector's length.
   */
  count(text: string, lang: Lang): { counts: FeatureCounts; unknownNorm2: number } {
    return this.countWords(words(text), lang);
  }

  /** `count` of a text already split into its words (`words(text)`). */
  countWords(ws: readonly string[], lang: Lang): { counts: FeatureCounts; unknownNorm2: number } {
    const counts: FeatureCounts = new Map();
    // Keyed by the code as a signed 32-bit number: codes from 2^31 on would be heap numbers, one allocated per key.
    const unknownCounts = new Map<number, number>();
    codeScratch.length = 0;
    for (const code of featureCodesOf(ws, lang, codeScratch)) {
      const id = this.codes.get(code);
      if (id !== undefined) counts.set(id, (counts.get(id) ?? 0) + 1);
      else unknownCounts.set(code | 0, (unknownCounts.get(code | 0) ?? 0) + 1);
    }
    let unknownNorm2 = 0;
    for (const [code, c] of unknownCounts)
      unknownNorm2 += ((1 + Math.log(c)) * this.unknownIdf * featureWeight(code)) ** 2;
    return { counts, unknownNorm2 };
  }

  /**
   * tf-idf weights of feature counts, L2-normalised. `extraNorm` is the
   * squared weight of features outside the KB; `boost` scales features a
   * question borrowed (a correction, a near word, a synonym) by how sure the link is.
   */
  weigh(counts: FeatureCounts, extraNorm = 0, boost?: ReadonlyMap<number, number>): SparseVector {
    const ids = new Int32Array(counts.size);
    const w = new Float32Array(counts.size);
    let norm = extraNorm;
    let k = 0;
    // Most questions borrow nothing: no lookup per feature then (a factor of 1 changes no weight).
    const boosted = boost?.size ? boost : undefined;
    for (const [id, c] of counts) {
      const f = (1 + Math.log(c)) * this.idf[id]! * this.weightOf(id) * (boosted?.get(id) ?? 1);
      ids[k] = id;
      w[k++] = f;
      norm += f * f;
    }
    norm = Math.sqrt(norm) || 1;
    for (let i = 0; i < w.length; i++) w[i]! /= norm;
    return { ids, w };
  }

  /**
   * A vector as the classifier reads it: words and 4-grams only (4-grams at
   * 0.7 of a word, idf flattened), renormalised: as accurate as all grams on
   * the dev sets at a third of the training time. Of a long passage only the
   * `max` strongest features are kept.
   */
  forClassifier(v: SparseVector, max: number): SparseVector {
    let keep: number[] = [];
    for (let k = 0; k < v.ids.length; k++)
      if (this.kinds[v.ids[k]!] === KIND.word || this.kinds[v.ids[k]!] === KIND.char4) keep.push(k);
    if (keep.length > max)
      keep = keep.sort((a, b) => this.classifierWeight(v, b) - this.classifierWeight(v, a)).slice(0, max);
    // Filled in place: every question comes through here, and typed arrays built from callbacks cost more than the sums.
    const ids = new Int32Array(keep.length);
    const w = new Float32Array(keep.length);
    let norm2 = 0;
    for (let i = 0; i < keep.length; i++) {
      ids[i] = v.ids[keep[i]!]!;
      w[i] = this.classifierWeight(v, keep[i]!);
      // The weight as stored (32-bit) is what the norm sums, as it always did.
      norm2 += w[i]! * w[i]!;
    }
    const norm = Math.sqrt(norm2) || 1;
    for (let i = 0; i < w.length; i++) w[i]! /= norm;
    return { ids, w };
  }

  /** Feature `k` of `v` as the classifier weighs it (see `forClassifier`). */
  private classifierWeight(v: SparseVector, k: number): number {
    return (
      v.w[k]! *
      (this.kinds[v.ids[k]!] === KIND.word ? 1 : CLASSIFIER_CHAR_BOOST) *
      (1 + CLASSIFIER_IDF_FLATTEN / this.idfOf(v.ids[k]!))
    );
  }

  private idfOf(id: number): number {
    return id < this.idf.length ? this.idf[id]! : this.unknownIdf;
  }
}

/** The codes of the text being counted: one array for every question, not one allocated per question. */
const codeScratch: number[] = [];

/**
 * One unit's feature counts in flat arrays reused from unit to unit, in
 * order of first use (the order a map filled feature by feature iterates in).
 */
class UnitScratch {
  ids = new Int32Array(256);
  counts = new Int32Array(256);
  n = 0;
  /** Position of each feature id in the current unit, valid where `stamp` equals the current unit's stamp. */
  private position = new Int32Array(1024);
  private stamp = new Int32Array(1024);
  private current = 0;

  start(): void {
    this.n = 0;
    this.current++;
  }

  add(id: number): void {
    // Ids are numbered as they come, a word's few dozen at a time: doubling once always makes room.
    if (id >= this.stamp.length) {
      this.position = grown(this.position, 0);
      this.stamp = grown(this.stamp, 0);
    }
    if (this.stamp[id] === this.current) {
      this.counts[this.position[id]!]!++;
      return;
    }
    if (this.n === this.ids.length) {
      this.ids = grown(this.ids, 0);
      this.counts = grown(this.counts, 0);
    }
    this.stamp[id] = this.current;
    this.position[id] = this.n;
    this.ids[this.n] = id;
    this.counts[this.n++] = 1;
  }
}

/** An array twice as long, the new half filled with `fill`. */
function grown(a: Int32Array, fill: number): Int32Array<ArrayBuffer> {
  const out = new Int32Array(a.length * 2);
  out.set(a);
  out.fill(fill, a.length);
  return out;
}

function grownFloats(a: Float32Array): Float32Array<ArrayBuffer> {
  const out = new Float32Array(a.length * 2);
  out.set(a);
  return out;
}
