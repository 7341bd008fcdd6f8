import type { Lang } from '../contracts/api.ts';
import type { Article } from '../articles/types.ts';
import { words } from '../text/analyze.ts';
import { Csr } from './csr.ts';
import { isContentWord, kbNeighbours, MEANING, meaningOf, withMeaning } from './meaningFeatures.ts';
import { PhraseClassifier, type SavedClassifier } from './phraseClassifier.ts';
import type { SparseVector } from './softmaxRegression.ts';
import { Speller } from './spelling.ts';
import {
  CHAR_WEIGHT,
  featureCodes,
  featureWeight,
  KIND,
  kindOf,
  SPELLING_WEIGHT,
  stemCode,
  SYNONYM_WEIGHT,
  wordCode,
} from './textFeatures.ts';
import { WordBags } from './wordBags.ts';
import type { WordNeighbours, WordVectors } from './wordVectors.ts';

/** What the lexical model reads of one article. */
export interface TermDoc {
  id: string;
  lang: Lang;
  title: string;
  questions: string[];
  /** Body sections (heading and text). */
  passages: string[];
}

/** One phrasing or passage of an article: what a question is compared with. */
export interface TermUnit {
  article: number;
  kind: 'title' | 'question' | 'passage';
  text: string;
  /** Counted in nearest-neighbour and centroid scores (passages only when the article lists few questions). */
  matched: boolean;
}

/** A question as the model reads it: sparse features, and its mean word vector when there are word vectors. */
export interface QuestionVector extends SparseVector {
  meaning: Float32Array | null;
}

/** Per-article evidence for one question, indexed like `TermModel.ids`. */
export interface TermScores {
  /** Cosine to the article's closest phrasing, and to its runner-up. */
  nearest: Float32Array;
  second: Float32Array;
  /** Cosine to the mean of the article's phrasings. */
  centroid: Float32Array;
  /** Share of the question's weight found anywhere in the article. */
  coverage: Float32Array;
  /** BM25 over the whole article (unnormalised). */
  bm25: Float32Array;
  /** The classifier's probability, over the allowed articles. */
  probability: Float32Array;
}

/** Articles listing fewer questions than this are also matched through their body passages. */
const MIN_QUESTIONS = 3;
/** 4-grams weigh 0.7 of a word in the classifier (0.5 elsewhere). */
const CLASSIFIER_CHAR_BOOST = 1.4;
/** The classifier reads idf + 2 instead of idf: it learns its own weights, and flatter input weights let it (+0.5 pt on the larger dev sets). */
const CLASSIFIER_IDF_FLATTEN = 2;
const MAX_PASSAGE_FEATURES = 64;

/**
 * The lexical model of a KB, fitted on the KB alone: idf from its articles,
 * sparse vectors of every title, question and passage, each article's
 * centroid and word bag, and a classifier trained on its phrasings. Fitted in
 * memory from the articles (deterministic) on every load; only the classifier,
 * the costly part, is stored with the snapshot.
 */
export class TermModel {
  readonly ids: string[];
  readonly units: TermUnit[];
  private readonly vocab = new Map<number, number>();
  private idf!: Float32Array;
  private unknownIdf!: number;
  private unitVectors: SparseVector[] = [];
  private unitPostings!: Csr;
  /** Unnormalised sum of each article's matched unit vectors, by feature. */
  private centroidPostings!: Csr;
  private centroidNorm!: Float32Array;
  private centroidSums: SparseVector[] = [];
  /** Dot product of each unit with its article's centroid sum. */
  private unitDotSum!: Float32Array;
  private bags!: WordBags;
  private unitCounts: Map<number, number>[] = [];
  private classifier: PhraseClassifier | null = null;
  private kinds!: Uint8Array;
  /** Each unit's article and whether it is matched, as flat arrays: `score` reads them for every unit per question. */
  private unitArticle!: Int32Array;
  private unitMatched!: Uint8Array;
  private speller!: Speller;
  private vectors: WordVectors | null = null;
  private neighbours: WordNeighbours | null = null;
  private numbers: Map<string, number> | undefined;

  private constructor(docs: TermDoc[]) {
    this.ids = docs.map((d) => d.id);
    this.units = [];
    docs.forEach((d, article) => {
      const matchPassages = d.questions.length < MIN_QUESTIONS;
      this.units.push({ article, kind: 'title', text: d.title, matched: true });
      for (const q of d.questions) this.units.push({ article, kind: 'question', text: q, matched: true });
      for (const p of d.passages)
        if (p.trim()) this.units.push({ article, kind: 'passage', text: p, matched: matchPassages });
    });
  }

  /**
   * `saved`: a classifier stored with the index, used when it was trained on these same docs (else it is retrained).
   * `wordVectors`: pre-trained vectors for the classifier and for bringing in KB words near a question's words (optional).
   */
  static build(
    docs: TermDoc[],
    options: { classifier?: boolean; saved?: SavedClassifier; wordVectors?: WordVectors | null } = {},
  ): TermModel {
    const model = new TermModel(docs);
    model.vectors = options.wordVectors ?? null;
    model.fit(docs, options.classifier ?? true, options.saved);
    return model;
  }

  /** The trained classifier, for the index snapshot to store. */
  saveClassifier(): SavedClassifier | null {
    return this.classifier?.save() ?? null;
  }

  /** Id of the word vectors this model reads, or null when it is lexical only. */
  get wordVectors(): string | null {
    return this.vectors?.id ?? null;
  }

  get size(): number {
    return this.ids.length;
  }

  /** Phrasings × articles: what one training of the classifier costs, roughly. */
  get classifierCost(): number {
    return this.units.filter((u) => u.matched).length * this.ids.length;
  }

  private fit(docs: TermDoc[], withClassifier: boolean, saved?: SavedClassifier): void {
    const N = docs.length;
    this.unitArticle = Int32Array.from(this.units, (u) => u.article);
    this.unitMatched = Uint8Array.from(this.units, (u) => (u.matched ? 1 : 0));
    this.unitCounts = this.units.map((u) => {
      const counts = new Map<number, number>();
      for (const code of featureCodes(u.text, docs[u.article]!.lang)) {
        let id = this.vocab.get(code);
        if (id === undefined) this.vocab.set(code, (id = this.vocab.size));
        counts.set(id, (counts.get(id) ?? 0) + 1);
      }
      return counts;
    });
    const frequency = new Map<string, number>();
    // Each unit's words, split once: the speller, the neighbour lookups and the classifier's meaning all read them.
    const unitWords = this.units.map((u) => words(u.text));
    for (const ws of unitWords) for (const w of ws) frequency.set(w, (frequency.get(w) ?? 0) + 1);
    this.speller = new Speller(frequency);
    if (this.vectors)
      this.neighbours = kbNeighbours(
        this.vectors,
        this.units.map((u, i) => ({ words: unitWords[i]!, lang: docs[u.article]!.lang })),
      );
    const F = this.vocab.size;
    this.kinds = new Uint8Array(F);
    for (const [code, id] of this.vocab) this.kinds[id] = kindOf(code);
    // idf over articles: a word every article uses says nothing about which one.
    const df = new Float32Array(F);
    const lastSeen = new Int32Array(F).fill(-1);
    this.units.forEach((u, i) => {
      for (const id of this.unitCounts[i]!.keys())
        if (lastSeen[id] !== u.article) {
          lastSeen[id] = u.article;
          df[id]!++;
        }
    });
    this.idf = df.map((n) => Math.log((N + 1) / (n + 1)) + 1);
    this.unknownIdf = Math.log(N + 1) + 1;
    this.unitVectors = this.unitCounts.map((counts) => this.weigh(counts));

    const matched = this.units.map((u, i) => (u.matched ? i : -1)).filter((i) => i >= 0);
    this.unitPostings = Csr.build(
      F,
      matched.map((i) => ({ row: i, vector: this.unitVectors[i]! })),
    );
    const sums = Array.from({ length: N }, () => new Map<number, number>());
    for (const i of matched) {
      const v = this.unitVectors[i]!;
      const s = sums[this.units[i]!.article]!;
      for (let k = 0; k < v.ids.length; k++) s.set(v.ids[k]!, (s.get(v.ids[k]!) ?? 0) + v.w[k]!);
    }
    this.centroidSums = sums.map(fromMap);
    this.centroidPostings = Csr.build(
      F,
      this.centroidSums.map((vector, row) => ({ row, vector })),
    );
    this.centroidNorm = Float32Array.from(sums, (s) => Math.sqrt([...s.values()].reduce((acc, x) => acc + x * x, 0)));
    this.unitDotSum = Float32Array.from(this.units, (u, i) => {
      const v = this.unitVectors[i]!;
      let d = 0;
      for (let k = 0; k < v.ids.length; k++) d += v.w[k]! * (sums[u.article]!.get(v.ids[k]!) ?? 0);
      return d;
    });

    this.bags = new WordBags(
      N,
      F,
      this.unitCounts,
      (i) => this.units[i]!.article,
      (id) => this.weightOf(id),
    );
    if (withClassifier) {
      const inputs = this.units.map((u, i) => {
        if (!u.matched) return null;
        const sparse = this.forClassifier(this.unitVectors[i]!, u.kind === 'passage' ? MAX_PASSAGE_FEATURES : Infinity);
        return withMeaning(sparse, meaningOf(this.vectors, unitWords[i]!, docs[u.article]!.lang));
      });
      this.classifier = new PhraseClassifier(
        inputs,
        (i) => this.units[i]!.article,
        N,
        F,
        { postings: this.centroidPostings, sums: this.centroidSums },
        { saved },
      );
    }
  }

  /**
   * The same model with a classifier that never saw `units`: asking those
   * phrasings then behaves like asking new questions (a classifier scores
   * its own training examples too well to calibrate on them).
   */
  withoutUnits(units: ReadonlySet<number>): TermModel {
    const copy = Object.create(TermModel.prototype) as TermModel;
    Object.assign(copy, this);
    if (this.classifier) copy.classifier = this.classifier.without(units);
    return copy;
  }

  /** Cosine between two articles' centroids: near 1 for near-duplicates (the same how-to per platform). */
  articleSimilarity(a: string, b: string): number {
    this.numbers ??= new Map(this.ids.map((id, k) => [id, k]));
    const [i, j] = [this.numbers.get(a), this.numbers.get(b)];
    if (i === undefined || j === undefined) return 0;
    const [x, y] = [this.centroidSums[i]!, this.centroidSums[j]!],
      weights = new Map(Array.from(x.ids, (id, k) => [id, x.w[k]!] as const));
    let d = 0;
    for (let k = 0; k < y.ids.length; k++) d += (weights.get(y.ids[k]!) ?? 0) * y.w[k]!;
    return d / ((this.centroidNorm[i]! || 1) * (this.centroidNorm[j]! || 1));
  }

  private idfOf(id: number): number {
    return id < this.idf.length ? this.idf[id]! : this.unknownIdf;
  }

  private weightOf(id: number): number {
    return this.kinds[id] === KIND.word ? 1 : CHAR_WEIGHT;
  }

  /**
   * The classifier reads words and 4-grams only (4-grams at 0.7 of a word,
   * idf flattened): as accurate as all grams on the dev sets at a third of
   * the training time. Long passages keep their strongest features only.
   */
  private forClassifier(v: SparseVector, max: number): SparseVector {
    let keep: number[] = [];
    for (let k = 0; k < v.ids.length; k++)
      if (this.kinds[v.ids[k]!] === KIND.word || this.kinds[v.ids[k]!] === KIND.char4) keep.push(k);
    const weight = (k: number) =>
      v.w[k]! *
      (this.kinds[v.ids[k]!] === KIND.word ? 1 : CLASSIFIER_CHAR_BOOST) *
      (1 + CLASSIFIER_IDF_FLATTEN / this.idfOf(v.ids[k]!));
    if (keep.length > max) keep = keep.sort((a, b) => weight(b) - weight(a)).slice(0, max);
    const w = Float32Array.from(keep, weight);
    const norm = Math.sqrt(w.reduce((acc, x) => acc + x * x, 0)) || 1;
    return { ids: Int32Array.from(keep, (k) => v.ids[k]!), w: w.map((x) => x / norm) };
  }

  /** tf-idf weights of feature counts, L2-normalised; `extraNorm` is weight of features the KB never saw. */
  private weigh(counts: Map<number, number>, extraNorm = 0, boost?: Map<number, number>): SparseVector {
    const ids = new Int32Array(counts.size);
    const w = new Float32Array(counts.size);
    let norm = extraNorm;
    let k = 0;
    for (const [id, c] of counts) {
      const f = (1 + Math.log(c)) * this.idf[id]! * this.weightOf(id) * (boost?.get(id) ?? 1);
      ids[k] = id;
      w[k++] = f;
      norm += f * f;
    }
    norm = Math.sqrt(norm) || 1;
    for (let i = 0; i < w.length; i++) w[i]! /= norm;
    return { ids, w };
  }

  /** A question as a unit vector; words the KB never uses still count in its length, so they dilute every match. */
  vectorize(text: string, lang: Lang, synonymStems: string[] = []): QuestionVector {
    const counts = new Map<number, number>();
    let unknown = 0;
    const unknownCounts = new Map<number, number>();
    for (const code of featureCodes(text, lang)) {
      const id = this.vocab.get(code);
      if (id !== undefined) counts.set(id, (counts.get(id) ?? 0) + 1);
      else unknownCounts.set(code, (unknownCounts.get(code) ?? 0) + 1);
    }
    for (const [f, c] of unknownCounts) unknown += ((1 + Math.log(c)) * this.unknownIdf * featureWeight(f)) ** 2;
    const boost = new Map<number, number>();
    const questionWords = words(text);
    for (const w of questionWords) {
      const fixed = this.speller.correct(w);
      const id = fixed === null ? undefined : this.vocab.get(wordCode(fixed, lang));
      if (id === undefined || counts.has(id)) continue;
      counts.set(id, 1);
      boost.set(id, SPELLING_WEIGHT);
    }
    for (const w of this.speller.compounds(questionWords, (x) => this.vocab.has(wordCode(x, lang)))) {
      const id = this.vocab.get(wordCode(w, lang));
      if (id === undefined || counts.has(id)) continue;
      counts.set(id, 1);
    }
    // Each content word brings in the KB words nearest in meaning, weighted by how near ("reimbursement" → refund):
    // any near word for one the KB never uses (and cannot spell-correct), only close ones for a word it knows.
    if (this.neighbours && lang === this.vectors!.lang)
      for (const w of questionWords) {
        if (!isContentWord(w, lang) || this.speller.correct(w) !== null) continue;
        const min = this.vocab.has(wordCode(w, lang)) ? MEANING.minSimilarityKnown : MEANING.minSimilarity;
        for (const [near, similarity] of this.neighbours.of(w)) {
          const id = this.vocab.get(wordCode(near, lang));
          if (similarity < min || id === undefined || counts.has(id)) continue;
          counts.set(id, 1);
          boost.set(id, similarity);
        }
      }
    for (const s of synonymStems) {
      const id = this.vocab.get(stemCode(s));
      if (id === undefined || counts.has(id)) continue;
      counts.set(id, 1);
      boost.set(id, SYNONYM_WEIGHT);
    }
    return { ...this.weigh(counts, unknown, boost), meaning: meaningOf(this.vectors, questionWords, lang) };
  }

  /**
   * Every article's evidence for a question. `leaveOut` scores as if that
   * unit were not in the KB (calibration asks the KB's own questions).
   */
  score(q: QuestionVector, allowed: (article: number) => boolean, leaveOut?: number): TermScores {
    const N = this.ids.length;
    const out: TermScores = {
      nearest: new Float32Array(N),
      second: new Float32Array(N),
      centroid: new Float32Array(N),
      coverage: new Float32Array(N),
      bm25: new Float32Array(N),
      probability: new Float32Array(N),
    };
    const sims = new Float32Array(this.units.length);
    this.unitPostings.accumulate(q, sims);
    // A plain loop over flat arrays, not forEach over the unit objects: it runs over every unit of the KB per question.
    const { unitArticle, unitMatched } = this;
    for (let i = 0; i < sims.length; i++) {
      const s = sims[i]!;
      if (i === leaveOut || !unitMatched[i]) continue;
      const a = unitArticle[i]!;
      if (s > out.nearest[a]!) {
        out.second[a] = out.nearest[a]!;
        out.nearest[a] = s;
      } else if (s > out.second[a]!) out.second[a] = s;
    }

    this.centroidPostings.accumulate(q, out.centroid);
    const left = leaveOut === undefined ? undefined : this.units[leaveOut]!;
    for (let a = 0; a < N; a++) {
      if (left?.article === a && left.matched) {
        const norm2 = this.centroidNorm[a]! ** 2 - 2 * this.unitDotSum[leaveOut!]! + 1;
        out.centroid[a] = norm2 > 1e-6 ? (out.centroid[a]! - sims[leaveOut!]!) / Math.sqrt(norm2) : 0;
      } else out.centroid[a]! /= this.centroidNorm[a]! || 1;
    }
    this.bags.score(
      q,
      out.coverage,
      out.bm25,
      left ? { article: left.article, counts: this.unitCounts[leaveOut!]! } : undefined,
    );
    if (this.classifier)
      out.probability.set(
        this.classifier.probabilities(withMeaning(this.forClassifier(q, Infinity), q.meaning), allowed),
      );
    for (let a = 0; a < N; a++)
      if (!allowed(a))
        out.nearest[a] = out.second[a] = out.centroid[a] = out.coverage[a] = out.bm25[a] = out.probability[a] = 0;
    return out;
  }
}

function fromMap(m: Map<number, number>): SparseVector {
  return { ids: Int32Array.from(m.keys()), w: Float32Array.from(m.values()) };
}

/** What the lexical model reads of an article: title, questions and body sections. */
export function termDocOf(a: Article): TermDoc {
  return {
    id: a.id,
    lang: a.lang,
    title: a.title,
    questions: a.questions,
    passages: a.chunks.map((c) => [c.heading, c.text].filter(Boolean).join('\n')),
  };
}
