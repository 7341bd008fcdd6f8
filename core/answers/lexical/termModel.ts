import type { Lang } from '../../contracts/api.ts';
import { words } from '../../text/analyze.ts';
import { Centroids, type CentroidParts } from './centroids.ts';
import { Csr } from './csr.ts';
import {
  rivalsWanted,
  type ClassifierRetraining,
  type ClassifierTraining,
  type PhraseClassifier,
  type SavedClassifier,
} from '../learners/phraseClassifier.ts';
import type { RivalsHelp } from '../learners/rivals.ts';
import { QuestionReader, type QuestionReaderParts, type QuestionVector } from './questionReader.ts';
import type { SoftmaxModel, SparseVector } from '../learners/softmaxRegression.ts';
import { classifierInput, classifierOf } from './termClassifier.ts';
import { TermOverlay } from './termOverlay.ts';
import type { CandidateScores, TermScores } from './termScores.ts';
import { sharedColumnsOf, TermScorer, useSharedColumns, type Fitted, type SharedColumns } from './termScoring.ts';
import { TermSpace, type TermSpaceParts } from './termSpace.ts';
import { passageUnitsLazily, unitFlags, unitsOf, type TermDoc, type UnitList } from './termUnits.ts';
import { WordBags, type WordBagParts } from './wordBags.ts';
import type { WordVectors } from '../../search/ports.ts';

export type { QuestionVector } from './questionReader.ts';
export type { CandidateScores, TermScores } from './termScores.ts';
export { plainTermDoc, termDocOf, type TermDoc, type TermUnit, type UnitList } from './termUnits.ts';

/**
 * A fitted model as flat arrays and word lists, for the index snapshot
 * (core/answers/codecs/termModelCodec.ts): what `TermModel.restore` needs
 * besides the articles themselves. The classifier is stored apart, in its
 * own file; this names the fingerprint it was saved with.
 */
export interface TermModelParts {
  /** What it was fitted on, checked on restore: this many articles and units, and these word vectors. */
  articles: number;
  units: number;
  wordVectors: string | null;
  space: TermSpaceParts;
  reader: QuestionReaderParts;
  unitPostings: Csr;
  centroids: CentroidParts;
  bags: WordBagParts;
  /** Fingerprint of the classifier fitted with it, or null when the model has none. */
  classifier: string | null;
}

/**
 * The lexical model of a KB, fitted on the KB alone: idf from its articles,
 * sparse vectors of every title, question and passage, each article's
 * centroid and word bag, and a classifier trained on its phrasings. Fitted
 * once, when the index is built, and stored with the snapshot as flat arrays
 * (`parts`): loading an index restores it without reading the KB's text
 * again, which on 10k articles took about a minute of CPU.
 */
export class TermModel {
  private constructor(
    readonly ids: string[],
    readonly units: UnitList,
    private readonly fitted: Fitted,
    private readonly classifier: PhraseClassifier | null,
    /** Articles added or edited since it was fitted (watch mode's delta; see `withArticles`). */
    private readonly overlay: TermOverlay | null = null,
  ) {
    this.scorer = new TermScorer(ids.length, units, fitted, classifier, overlay);
  }

  private readonly scorer: TermScorer;

  /**
   * `saved`: a classifier stored with the index, used when it was trained on these same docs (else it is retrained).
   * `wordVectors`: pre-trained vectors for the classifier and for bringing in KB words near a question's words (optional).
   * `rivals`: another thread's help with the classifier's rivals, shown the centroids as soon as they are built.
   * `onTraining`: told what the classifier trains from before it trains (see PhraseClassifier's option).
   */
  static build(
    docs: TermDoc[],
    options: {
      classifier?: boolean;
      saved?: SavedClassifier;
      wordVectors?: WordVectors | null;
      rivals?: RivalsHelp;
      onTraining?: (retraining: ClassifierRetraining) => void;
    } = {},
  ): TermModel {
    const vectors = options.wordVectors ?? null;
    const units = unitsOf(docs);
    const bags = WordBags.builder(docs.length);
    // Each unit's words, split once: the feature space, the speller, the neighbour lookups and the classifier's
    // meaning all read them.
    const unitWords = units.map((u) => ({ words: words(u.text), lang: docs[u.article]!.lang }));
    // Only matched units (titles, questions, and passages of articles with few questions) are kept as counts
    // and vectors; every unit's counts pass through the word bags once.
    const { space, counts } = TermSpace.fit(
      units.map((u, i) => ({ text: u.text, lang: unitWords[i]!.lang, article: u.article, words: unitWords[i]!.words })),
      docs.length,
      { keep: (i) => units[i]!.matched, visit: (i, ids, c, n) => bags.add(units[i]!.article, ids, c, n) },
    );
    const unitVectors = counts.map((c) => c && space.weigh(c));
    const centroids = Centroids.build(space.size, docs.length, unitVectors, units);
    const train = options.classifier ?? true;
    const k = rivalsWanted(docs.length);
    if (train && !options.saved && k !== null) options.rivals?.begin(centroids.postings, centroids.sums, k);
    const entries = units.flatMap((u, row) => (u.matched ? [{ row, vector: unitVectors[row]! }] : []));
    const fitted: Fitted = {
      space,
      reader: QuestionReader.fit(space, unitWords, vectors),
      // Not the fit's counts (a Map per matched unit, 150 MB at 10k articles): as in a restored model, the few
      // units calibration leaves out are counted again, to the same counts.
      units: { postings: Csr.build(space.size, entries), ...unitFlags(units) },
      centroids,
      // Bound, not an arrow: one made here would keep this function's context (every unit's words and vectors,
      // over 100 MB at 10k articles) for as long as the bags live.
      bags: bags.build(space.size, space.weightOf.bind(space)),
      numbers: new Map(docs.map((d, k) => [d.id, k])),
      langs: docs.map((d) => d.lang),
    };
    const inputs = units.map((u, i) =>
      u.matched
        ? classifierInput(space, vectors, u, unitVectors[i]!, unitWords[i]!.words, docs[u.article]!.lang)
        : null,
    );
    const classifier = train
      ? classifierOf(fitted.units.article, inputs, space, centroids, {
          saved: options.saved,
          findRivals: options.rivals?.find,
          onTraining: options.onTraining,
        })
      : null;
    return new TermModel(
      docs.map((d) => d.id),
      units,
      fitted,
      classifier,
    );
  }

  /**
   * A model saved with `parts`, for the same `docs` and word vectors (else it
   * throws, and the caller fits one). `saved`: the classifier stored beside
   * it, used when it is the one `parts` names (else it is retrained). Unit
   * counts are not stored: leaving a unit out (calibration) counts it again.
   */
  static restore(
    docs: TermDoc[],
    parts: TermModelParts,
    options: {
      saved?: SavedClassifier;
      wordVectors?: WordVectors | null;
      /** What the classifier is retrained from, as the fit had it (`classifierTraining`): else computed if needed. */
      training?: ClassifierTraining;
    } = {},
  ): TermModel {
    const vectors = options.wordVectors ?? null;
    // Passages' texts are read only to retrain or to leave a unit out: not held (see passageUnitsLazily).
    const units = passageUnitsLazily(docs);
    if (docs.length !== parts.articles || units.length !== parts.units)
      throw new Error('the saved lexical model was fitted on other articles');
    if ((vectors?.id ?? null) !== parts.wordVectors)
      throw new Error('the saved lexical model was fitted with other word vectors');
    const space = TermSpace.restore(parts.space);
    const centroids = Centroids.restore(parts.centroids);
    const fitted: Fitted = {
      space,
      reader: QuestionReader.restore(space, parts.reader, vectors),
      units: { postings: parts.unitPostings, ...unitFlags(units) },
      centroids,
      bags: WordBags.restore(parts.bags, (id) => space.weightOf(id)),
      numbers: new Map(docs.map((d, k) => [d.id, k])),
      langs: docs.map((d) => d.lang),
    };
    // Computed only if the classifier is retrained: the same inputs `build` gave it, from the units' text.
    const inputs = () =>
      Array.from(units, (u) => {
        if (!u.matched) return null;
        const lang = docs[u.article]!.lang;
        const vector = space.weigh(space.count(u.text, lang).counts);
        return classifierInput(space, vectors, u, vector, words(u.text), lang);
      });
    const saved = options.saved;
    const classifier =
      parts.classifier === null
        ? null
        : classifierOf(fitted.units.article, options.training?.inputs ?? inputs, space, centroids, {
            saved,
            trusted: saved?.fingerprint === parts.classifier,
            rivalsOf: options.training && new Map(options.training.rivals),
          });
    return new TermModel(
      docs.map((d) => d.id),
      units,
      fitted,
      classifier,
    );
  }

  /** The fitted model as flat arrays, for the index snapshot (the classifier apart: `saveClassifier`). */
  parts(): TermModelParts {
    const { space, reader, units, centroids, bags } = this.fitted;
    return {
      articles: this.ids.length,
      units: this.units.length,
      wordVectors: this.wordVectors,
      space: space.parts(),
      reader: reader.parts(),
      unitPostings: units.postings,
      centroids: centroids.parts(),
      bags: bags.parts(),
      classifier: this.saveClassifier()?.fingerprint ?? null,
    };
  }

  /** The trained classifier, for the index snapshot to store. */
  saveClassifier(): SavedClassifier | null {
    return this.classifier?.save() ?? null;
  }

  /**
   * What the classifier is retrained from (null when the model has none), for
   * a model restored on another thread to retrain without computing it again.
   */
  classifierTraining(): ClassifierTraining | null {
    return this.classifier?.training() ?? null;
  }

  /** Id of the word vectors this model reads, or null when it is lexical only. */
  get wordVectors(): string | null {
    return this.fitted.reader.vectors?.id ?? null;
  }

  get size(): number {
    return this.ids.length;
  }

  /** Phrasings × articles: what one training of the classifier costs, roughly. */
  get classifierCost(): number {
    return unitFlags(this.units).matched.reduce((n, m) => n + m, 0) * this.ids.length;
  }

  /**
   * The same model with a classifier that never saw `units` (`trained`: so retrained on another thread): asking
   * those phrasings then behaves like asking new questions (a classifier scores its own examples too well to calibrate on).
   */
  withoutUnits(units: ReadonlySet<number>, trained?: SoftmaxModel): TermModel {
    const classifier = this.classifier?.without(units, trained) ?? null;
    return new TermModel(this.ids, this.units, this.fitted, classifier, this.overlay);
  }

  /** What retraining the classifier reads (a ClassifierRetraining), for another thread to retrain it: `trained`. */
  classifierRetraining() {
    return this.classifier?.retraining() ?? null;
  }

  /**
   * This model with `docs` added or replacing the articles of the same id,
   * and the `removed` articles' units left out, without fitting anything
   * again (watch mode's delta, core/indexing/applyDelta.ts): the new
   * articles are read in this model's space (see TermOverlay). Removed
   * articles keep their number; retrieval never allows them, as they are no
   * longer in the index's articles. Called on a fitted model, not on one
   * that already has an overlay.
   */
  withArticles(docs: readonly TermDoc[], removed: ReadonlySet<string>): TermModel {
    if (this.overlay) throw new Error('withArticles is called on the fitted model, not on one with an overlay');
    const { numbers, units, space, bags } = this.fitted;
    const ids = [...this.ids];
    const langs = [...this.fitted.langs];
    const overlay = TermOverlay.build(
      space,
      docs,
      (id) => {
        const known = numbers.get(id);
        if (known !== undefined) return known;
        langs.push(docs.find((d) => d.id === id)!.lang);
        return ids.push(id) - 1;
      },
      bags.parts(),
    );
    // The base units of edited and removed articles no longer count: the overlay scores the edited ones.
    const gone = new Set<number>();
    for (const id of [...removed, ...docs.map((d) => d.id)]) {
      const a = numbers.get(id);
      if (a !== undefined) gone.add(a);
    }
    const matched = units.matched.slice();
    for (let i = 0; i < matched.length; i++) if (gone.has(units.article[i]!)) matched[i] = 0;
    const fitted: Fitted = {
      ...this.fitted,
      units: { ...units, matched },
      numbers: new Map(ids.map((id, k) => [id, k])),
      langs,
    };
    return new TermModel(ids, this.units, fitted, this.classifier, overlay);
  }

  /** Its columns in shared memory, made if not yet, for an engine thread's copy (`sharedColumnsOf`). */
  sharedColumns(): SharedColumns {
    return sharedColumnsOf(this.fitted);
  }

  /** The columns of this same model made on another thread (`sharedColumns`); before its first answer. */
  useColumns(columns: SharedColumns): void {
    useSharedColumns(this.fitted, columns);
  }

  /** Cosine between two articles' centroids: near 1 for near-duplicates (the same how-to per platform). */
  articleSimilarity(a: string, b: string): number {
    const [i, j] = [this.fitted.numbers.get(a), this.fitted.numbers.get(b)];
    if (i === undefined || j === undefined) return 0;
    if (this.overlay) {
      // An overlay article against a base one, or against another overlay article.
      const other = this.overlay.sumOf(j) ?? this.baseSum(j);
      const viaI = this.overlay.cosine(i, other.sum, other.norm);
      if (viaI !== null) return viaI;
      const mine = this.baseSum(i);
      const viaJ = this.overlay.cosine(j, mine.sum, mine.norm);
      if (viaJ !== null) return viaJ;
    }
    return this.fitted.centroids.cosine(i, j);
  }

  /** A base article's centroid sum and its norm. */
  private baseSum(a: number): { sum: SparseVector; norm: number } {
    const sum = this.fitted.centroids.sum(a);
    return { sum, norm: Math.sqrt(sum.w.reduce((acc, x) => acc + x * x, 0)) };
  }

  /** A question as a unit vector; words the KB never uses still count in its length, so they dilute every match. */
  vectorize(text: string, lang: Lang, synonymStems: string[] = []): QuestionVector {
    const q = this.fitted.reader.read(text, lang, synonymStems);
    return this.overlay ? this.overlay.extend(q, text, lang) : q;
  }

  /**
   * Every article's evidence for a question. `leaveOut` scores as if that
   * unit were not in the KB (calibration asks the KB's own questions).
   */
  score(q: QuestionVector, allowed: (article: number) => boolean, leaveOut?: number): TermScores {
    return this.scorer.score(q, allowed, leaveOut);
  }

  /** The evidence of the question's candidate articles (see TermScorer.scoreCandidates). */
  scoreCandidates(
    q: QuestionVector,
    allowed: (article: number) => boolean,
    options: { leaveOut?: number; extra?: Iterable<number>; all?: boolean } = {},
  ): CandidateScores {
    return this.scorer.scoreCandidates(q, allowed, options);
  }
}
