import type { Lang } from '../contracts/api.ts';
import { fitLogistic, predict } from './logistic.ts';
import { retrieve, type Candidate, type RetrievalIndex } from './retrieve.ts';

/**
 * How sure the engine may be, learnt from the KB itself. Real help desks have
 * no labelled questions, but every article's own questions can play two
 * parts. Asked with that one phrasing left out, a question is a new
 * answerable question: does the best article turn out to be its own? Asked
 * with its whole article left out, it is a question the KB cannot answer
 * (same domain, the hardest case). A small logistic model fitted on both
 * turns a retrieval score and its margin into "probability the best article
 * answers this", which means the same on every KB.
 */
export interface Calibration {
  version: 2;
  /** Weights over [1, best score, best − runner-up, share of the question the best covers] for "the best article answers it". */
  answer: number[];
  /** Weights over [1, best score] for "one of the first three answers it". */
  clarify: number[];
  /** Best scores of the questions asked without their article, sorted: what "nothing fits" scores on this KB. */
  orphanScores: number[];
  /** Questions asked to fit it (each asked twice). */
  samples: number;
}

/** Where a KB with no questions to ask starts, and what small KBs are pulled towards (fitted on the dev sets, docs/quality.md). */
export const PRIOR: Pick<Calibration, 'answer' | 'clarify'> = { answer: [-4.4, 5.2, 6.6, 0], clarify: [-4.5, 8.8] };
const PRIOR_STRENGTH = 5;
/** About this many questions are asked (fewer on a KB so large that each costs more); more would cost index time without changing the fit much. */
const TARGET_PROBES = 300;
const MIN_PROBES = 100;
/** Phrasings beyond which each question asked costs noticeably more. */
const LARGE_KB_UNITS = 3000;
const COSTLY_CLASSIFIER = 30_000;
const FOLDS = 5;
const CLARIFY_OPTIONS = 3;
const MAX_ORPHAN_SCORES = 200;

export async function calibrate(index: RetrievalIndex, defaultLang: Lang): Promise<Calibration> {
  const { terms } = index;
  // Phrasings worth asking: the questions, or the title of an article that lists none.
  const askable = terms.units.flatMap((u, i) => {
    const a = index.articles.get(terms.ids[u.article]!);
    if (!a || a.status !== 'published') return [];
    return u.kind === 'question' || (u.kind === 'title' && !a.questions.length) ? [i] : [];
  });
  const target = Math.max(MIN_PROBES, Math.round(TARGET_PROBES * Math.min(1, LARGE_KB_UNITS / terms.units.length)));
  const perFold = askable.length / FOLDS;
  // Each fold retrains the classifier: on a costly KB, two are enough.
  const maxFolds = terms.classifierCost > COSTLY_CLASSIFIER ? 2 : FOLDS;
  const folds = Math.min(maxFolds, Math.max(1, Math.ceil(target / Math.max(1, perFold))));
  const answerX: number[][] = [], answerY: number[] = [], clarifyX: number[][] = [], clarifyY: number[] = [];
  let samples = 0;
  const orphanScores: number[] = [];
  for (let f = 0; f < folds; f++) {
    // Every FOLDS-th phrasing, at most `target` in all: spread over the whole KB.
    const fold = askable.filter((_, k) => k % FOLDS === f);
    const held = fold.filter((_, k) => k % Math.max(1, Math.floor(fold.length / target)) === 0).slice(0, target);
    if (!held.length) continue;
    // A classifier that never saw these phrasings, so asking them is like asking new questions.
    const view: RetrievalIndex = { ...index, terms: terms.withoutUnits(new Set(held)) };
    for (const unit of held) {
      const u = terms.units[unit]!;
      const article = index.articles.get(terms.ids[u.article]!)!;
      const lang = article.lang ?? defaultLang;
      const filter = { publishedOnly: true };
      const asked = await retrieve(view, u.text, { lang, filter, leaveOut: unit });
      // Leave out the article and its translations: they would answer it.
      const exclude = new Set([article.id, ...Object.values(article.translations).filter((x): x is string => !!x)]);
      const orphan = await retrieve(view, u.text, { lang, filter: { ...filter, excludeIds: exclude }, leaveOut: unit });
      answerX.push(answerFeatures(asked[0], asked[1]?.score ?? 0), answerFeatures(orphan[0], orphan[1]?.score ?? 0));
      answerY.push(asked[0]?.articleId === article.id ? 1 : 0, 0);
      clarifyX.push(clarifyFeatures(asked[0]?.score ?? 0), clarifyFeatures(orphan[0]?.score ?? 0));
      clarifyY.push(asked.slice(0, CLARIFY_OPTIONS).some((c) => c.articleId === article.id) ? 1 : 0, 0);
      orphanScores.push(orphan[0]?.score ?? 0);
      samples++;
    }
  }
  return {
    version: 2,
    answer: fitLogistic(answerX, answerY, PRIOR.answer, PRIOR_STRENGTH),
    clarify: fitLogistic(clarifyX, clarifyY, PRIOR.clarify, PRIOR_STRENGTH),
    orphanScores: quantiles(orphanScores, MAX_ORPHAN_SCORES),
    samples,
  };
}

/** What the answer model reads, the same when fitting and when predicting: [1, score, margin over the rival, coverage]. */
function answerFeatures(candidate: Pick<Candidate, 'score' | 'features'> | undefined, rival: number): number[] {
  const score = candidate?.score ?? 0;
  return [1, score, score - rival, candidate?.features.coverage ?? 0];
}

/** What the clarify model reads: [1, best score]. */
function clarifyFeatures(best: number): number[] {
  return [1, best];
}

/** Snapshots from before version 2 carry another shape: fall back to the prior. */
function usable(c: Partial<Calibration> | undefined): Pick<Calibration, 'answer' | 'clarify'> & { orphanScores: number[] } {
  return c?.version === 2 && Array.isArray(c.answer) && Array.isArray(c.clarify) && Array.isArray(c.orphanScores) ? (c as Calibration) : { ...PRIOR, orphanScores: [] };
}

/**
 * Probability that `candidate` answers the question, when the best other
 * article scores `rival`: for the best article the rival is the runner-up.
 */
export function answerConfidence(candidate: Pick<Candidate, 'score' | 'features'>, rival: number, calibration: Partial<Calibration> | undefined): number {
  return predict(usable(calibration).answer, answerFeatures(candidate, rival));
}

/** Probability that one of the first few articles answers a question whose best article scores `best`. */
export function clarifyConfidence(best: number, calibration: Partial<Calibration> | undefined): number {
  return predict(usable(calibration).clarify, clarifyFeatures(best));
}

/**
 * How relevant an article scoring `score` is on its own: the share of
 * unanswerable questions whose best match it beats. Ranks the runners-up
 * worth suggesting when the best article did not help.
 */
export function relevance(score: number, calibration: Partial<Calibration> | undefined): number {
  const { orphanScores } = usable(calibration);
  if (orphanScores.length < MIN_ORPHAN_SCORES) return clarifyConfidence(score, calibration);
  let below = 0;
  while (below < orphanScores.length && orphanScores[below]! < score) below++;
  return below / orphanScores.length;
}

const MIN_ORPHAN_SCORES = 20;

/** `count` evenly spaced order statistics of `values` (all of them when fewer), ascending. */
function quantiles(values: number[], count: number): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length <= count) return sorted;
  return Array.from({ length: count }, (_, i) => sorted[Math.round((i * (sorted.length - 1)) / (count - 1))]!);
}

/** The calibration of a KB not yet calibrated (or with nothing to ask): the prior. */
export const UNCALIBRATED: Calibration = { version: 2, ...PRIOR, orphanScores: [], samples: 0 };
