import type { Lang } from '../../contracts/api.ts';
import { candidateArticles } from './candidates.ts';
import type { Centroids } from './centroids.ts';
import type { Csr } from './csr.ts';
import { withMeaning } from './meaningFeatures.ts';
import type { PhraseClassifier } from '../learners/phraseClassifier.ts';
import type { QuestionReader, QuestionVector } from './questionReader.ts';
import type { TermOverlay } from './termOverlay.ts';
import {
  emptyCandidateScores,
  emptyScores,
  scoringScratch,
  type CandidateScores,
  type ScoringScratch,
  type TermScores,
} from './termScores.ts';
import type { FeatureCounts, TermSpace } from './termSpace.ts';
import type { UnitList } from './termUnits.ts';
import type { CountColumn, WordBags } from './wordBags.ts';

/**
 * The matched units by feature, with each unit's article and its matched
 * flag, flat arrays because `score` reads them for every unit of the KB per
 * question. A unit's feature counts are not kept: the few a question leaves
 * out are counted again from their text (`countsOf`).
 */
export interface UnitIndex {
  postings: Csr;
  article: Int32Array;
  matched: Uint8Array;
}

/** Everything fitted on the KB's text; shared by a model and its copies without some units. */
export interface Fitted {
  space: TermSpace;
  reader: QuestionReader;
  units: UnitIndex;
  centroids: Centroids;
  /** Each article as one bag of features: coverage and BM25. */
  bags: WordBags;
  /** Article id → number, for `articleSimilarity`. */
  numbers: ReadonlyMap<string, number>;
  /** Each article's language. */
  langs: Lang[];
  /** Where each article's units start (see `TermScorer.unitStarts`), computed on first use. */
  unitStarts?: Int32Array;
}

/** A model's columns in shared memory (TermModel.sharedColumns), posted to an engine thread with its snapshot. */
export interface SharedColumns {
  bags: ReadonlyMap<number, CountColumn>;
  centroids: ReadonlyMap<number, Float32Array>;
}

/**
 * The columns a large KB's first answers make (the bags' counts and the centroids' values of the commonest
 * features: 188 MB at 100k articles), made now if not yet, in shared memory: an engine thread's copy of the
 * model reads them (`useSharedColumns`) instead of making its own.
 */
export function sharedColumnsOf(fitted: Fitted): SharedColumns {
  return { bags: fitted.bags.sharedColumns(), centroids: fitted.centroids.sharedColumns() };
}

/** Another thread's columns of the same fitted model (`sharedColumnsOf`), read instead of made again. */
export function useSharedColumns(fitted: Fitted, columns: SharedColumns): void {
  fitted.bags.useColumns(columns.bags);
  fitted.centroids.useColumns(columns.centroids);
}

/**
 * A term model's scoring of one question (TermModel.score and
 * scoreCandidates): its fitted structures walked for the question's
 * features, into arrays made on the first question and cleared after each.
 */
export class TermScorer {
  private scratchMemo: ScoringScratch | null = null;

  constructor(
    /** Articles scored: the fitted ones and watch mode's added ones. */
    private readonly articles: number,
    private readonly units: UnitList,
    private readonly fitted: Fitted,
    private readonly classifier: PhraseClassifier | null,
    private readonly overlay: TermOverlay | null,
  ) {}

  /**
   * Every article's evidence for a question. `leaveOut` scores as if that
   * unit were not in the KB (calibration asks the KB's own questions).
   */
  score(q: QuestionVector, allowed: (article: number) => boolean, leaveOut?: number): TermScores {
    const c = this.scoreCandidates(q, allowed, { leaveOut, all: true });
    const out = emptyScores(this.articles);
    for (let i = 0; i < c.articles.length; i++) {
      const a = c.articles[i]!;
      out.nearest[a] = c.nearest[i]!;
      out.second[a] = c.second[i]!;
      out.centroid[a] = c.centroid[i]!;
      out.coverage[a] = c.coverage[i]!;
      out.bm25[a] = c.bm25[i]!;
      out.probability[a] = c.probability[i]!;
    }
    return out;
  }

  /**
   * The evidence of the question's candidate articles (candidates.ts: on a
   * small KB every allowed article), each the same number `score` gives it.
   * `extra`: articles to score whatever their words (the embedder's nearest).
   * Per question it allocates nothing the size of the KB: the arrays it
   * scores into are the model's own, cleared again for the next question.
   */
  scoreCandidates(
    q: QuestionVector,
    allowed: (article: number) => boolean,
    options: { leaveOut?: number; extra?: Iterable<number>; all?: boolean } = {},
  ): CandidateScores {
    const { leaveOut } = options;
    const { units, centroids, bags, space } = this.fitted;
    const s = this.scratch();
    const probability = this.classifier
      ? this.classifier.probabilities(withMeaning(space.forClassifier(q, Infinity), q.meaning), allowed, s.probability)
      : null;
    const articles = candidateArticles({
      q,
      bags,
      articles: this.articles,
      allowed,
      probability,
      // Watch mode's added and edited articles are always scored: their base evidence (if any) is the old text's.
      extra: this.overlay ? [...(options.extra ?? []), ...this.overlay.numbers()] : (options.extra ?? []),
      scratch: s.candidates,
      all: options.all,
    });
    const { mask } = s.candidates;
    const unitStarts = this.unitStarts();
    const { matched } = units;
    const out = emptyCandidateScores(articles);
    try {
      for (const a of articles) for (let u = unitStarts[a]!; u < unitStarts[a + 1]!; u++) s.unitMask[u] = matched[u]!;
      units.postings.accumulateMasked(q, s.unitMask, s.sims, { rows: articles, ranges: unitStarts });
      this.nearestUnits(s.sims, unitStarts, out, leaveOut);
      const unit = leaveOut === undefined ? undefined : this.units.at(leaveOut)!;
      const left = unit && { unit: leaveOut!, article: unit.article, matched: unit.matched };
      centroids.scoreCandidates(
        q,
        articles,
        mask,
        s.centroid,
        out.centroid,
        left?.matched ? { unit: left.unit, article: left.article, similarity: s.sims[left.unit]! } : undefined,
      );
      bags.scoreMasked(
        q,
        mask,
        s.coverage,
        s.bm25,
        left ? { article: left.article, counts: this.countsOf(left.unit) } : undefined,
        articles,
      );
      for (let i = 0; i < articles.length; i++) {
        const a = articles[i]!;
        out.coverage[i] = s.coverage[a]!;
        out.bm25[i] = s.bm25[a]!;
        if (probability) out.probability[i] = probability[a] ?? 0;
      }
    } finally {
      for (const a of articles) {
        mask[a] = s.coverage[a] = s.bm25[a] = 0;
        for (let u = unitStarts[a]!; u < unitStarts[a + 1]!; u++) s.unitMask[u] = s.sims[u] = 0;
      }
    }
    this.overlay?.score(q, out, articles);
    return out;
  }

  /** The arrays `scoreCandidates` scores into, made on its first question. */
  private scratch(): ScoringScratch {
    // The classifier's own articles only: a longer buffer would spread its softmax over articles it never saw (watch mode's added ones).
    return (this.scratchMemo ??= scoringScratch(this.articles, this.units.length, this.classifier?.articles));
  }

  /** Article a's units are `unitStarts[a]` to `unitStarts[a + 1]` (units come article by article). */
  private unitStarts(): Int32Array {
    if (this.fitted.unitStarts) return this.fitted.unitStarts;
    const starts = new Int32Array(this.articles + 1);
    for (const a of this.fitted.units.article) starts[a + 1]!++;
    for (let a = 0; a < this.articles; a++) starts[a + 1]! += starts[a]!;
    return (this.fitted.unitStarts = starts);
  }

  /** A unit's feature counts, counted again from its text: the counts the fit had (none are kept). */
  private countsOf(unit: number): FeatureCounts {
    const { space, langs } = this.fitted;
    const u = this.units.at(unit)!;
    return space.count(u.text, langs[u.article]!).counts;
  }

  /** Each candidate's best and second-best cosine over its matched units (`sims`), skipping the unit left out. */
  private nearestUnits(
    sims: Float32Array,
    unitStarts: Int32Array,
    out: CandidateScores,
    leaveOut: number | undefined,
  ): void {
    const { matched } = this.fitted.units;
    for (let i = 0; i < out.articles.length; i++) {
      const a = out.articles[i]!;
      for (let u = unitStarts[a]!; u < unitStarts[a + 1]!; u++) {
        if (u === leaveOut || !matched[u]) continue;
        const s = sims[u]!;
        if (s > out.nearest[i]!) {
          out.second[i] = out.nearest[i]!;
          out.nearest[i] = s;
        } else if (s > out.second[i]!) out.second[i] = s;
      }
    }
  }
}
