import type { Lang } from '../../contracts/api.ts';
import { fitLogistic, predict } from '../learners/logistic.ts';
import { calibrationFolds } from './calibrationFolds.ts';
import { retrieve, type Candidate, type RetrievalIndex } from './retrieve.ts';

export { isDocumentation } from './probes.ts';
export { calibrationFolds } from './calibrationFolds.ts';

/**
 * How sure the engine may be, learnt from the KB itself. Real help desks have
 * no labelled questions, but every article's own questions can play two
 * parts. Asked with that one phrasing left out, a question is a new
 * answerable question: does the best article turn out to be its own? Asked
 * with its whole article left out, it is a question the KB cannot answer
 * (same domain, the hardest case). A small logistic model fitted on both
 * turns a retrieval score and its margin into "probability the best article
 * answers this", which means the same on every KB.
 *
 * Documentation (articles that list no questions and are not titled as one)
 * has no phrasing to ask: its titles, left out, are far harder to match than
 * what users type, and a calibration fitted on them answered nothing. There
 * the probes are sentences of the articles, reworded the way users reword
 * them (most content words replaced by words of their own), asked with the
 * article in place — users ask about what the article says — and again
 * without it, as a question the KB cannot answer.
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
  /** What was asked: the KB's listed questions (titles where none), or reworded sentences of documentation. */
  probes?: 'questions' | 'passages';
  /** How the KB's own probes fared with the fitted model: an estimate of self-service for the operator. */
  selfService?: SelfService;
}

/** Where the KB answers least by itself, from how its own probes fared. */
export interface SelfService {
  /**
   * The articles whose probes got the lowest confidence that they answer
   * them, weakest first (at most 20): listing the questions users ask there
   * would help most.
   */
  weakest: string[];
  /**
   * The share of its own probes the KB answers or offers by itself (absent in
   * snapshots built before it was estimated). Biased by what the probes are:
   * reworded passages are harder than what users type, listed examples
   * cleaner than real traffic (docs/quality.md#estimated-self-service-coverage).
   */
  coverage?: Coverage;
}

/**
 * Estimated self-service coverage: the calibration's probes replayed through
 * the engine's decision at the default thresholds (core/answers/pipeline/coverage.ts).
 * Shares are of questions the KB has an article for; weighted as the fit weighs the probes.
 */
export interface Coverage {
  /** Share answered outright with the probe's own article. */
  answered: number;
  /** Share answered with it, or given options that include it. */
  offered: number;
  /** Probes replayed, and the articles they were drawn from. */
  probes: number;
  articles: number;
}

/** Where a KB with no questions to ask starts, and what small KBs are pulled towards (fitted on the dev sets, docs/quality.md). */
export const PRIOR: Pick<Calibration, 'answer' | 'clarify'> = { answer: [-4.4, 5.2, 6.6, 0], clarify: [-4.5, 8.8] };
/** Documentation also reads whether the question names something the runner-up lacks (the platform of a per-platform how-to). */
const DOCS_PRIOR: Pick<Calibration, 'answer' | 'clarify'> = { answer: [...PRIOR.answer, 0], clarify: PRIOR.clarify };
const PRIOR_STRENGTH = 5;
/**
 * On documentation each reworded passage is asked once with its article and
 * once without, which tells the fit that half of what users ask has no
 * answer, while the probes fail more often than users' own questions do
 * (best article right for 43 % of intune's probes, 65 % of its dev-users
 * questions). Fitted as they came, both models were underconfident wherever
 * they were right (predicted 0.45 where 0.78 held). Each unanswerable probe
 * counts 0.35: users ask about what the docs cover about three times in four.
 * Chosen on intune dev-users and its table-of-contents labels, across four
 * draws of the rewordings, together with decide.ts's near-duplicate rules
 * (without the title rule, 0.45 already gave 4 to 10 wrong answers of 110
 * depending on the draw); docs/quality.md.
 */
const DOCS_ORPHAN_WEIGHT = 0.35;
const CLARIFY_OPTIONS = 3;
const MAX_ORPHAN_SCORES = 200;
/** Candidates kept per probe for the coverage estimate: the decision reads the first three and the best's runner-up. */
const KEPT_CANDIDATES = 10;

/** What the KB's own probes gave: each asked once with its article (even index) and once without (odd). */
export interface CalibrationSamples {
  answerX: number[][];
  answerY: number[];
  clarifyX: number[][];
  clarifyY: number[];
  /** How much each sample counts (before the unanswerable probes' weight). */
  weights: number[];
  orphanScores: number[];
  /** The article each probe was asked for (one per pair). */
  probed: string[];
  /** Each probe's text and what it retrieved with its article in place (one per pair): replayed to estimate coverage. */
  texts: string[];
  asked: Candidate[][];
  samples: number;
}

export interface SampleOptions {
  documentation: boolean;
  /** Rewordings of each documentation sentence, pooled at 1/n weight each (default REWORDINGS). */
  rewordings?: number;
  /** Which rewordings: the shipped fit draws the first REWORDINGS from 0. */
  seed?: number;
}

/** Ask the KB its own probes (see Calibration), in the folds of `calibrationFolds` (made here when not given). */
export async function calibrationSamples(
  index: RetrievalIndex,
  defaultLang: Lang,
  options: SampleOptions,
  folds = calibrationFolds(index, options),
): Promise<CalibrationSamples> {
  const { terms } = index;
  const out: CalibrationSamples = {
    answerX: [],
    answerY: [],
    clarifyX: [],
    clarifyY: [],
    weights: [],
    orphanScores: [],
    probed: [],
    texts: [],
    asked: [],
    samples: 0,
  };
  for (const { held, terms: foldTerms } of folds) {
    const view: RetrievalIndex = foldTerms === terms ? index : { ...index, terms: foldTerms };
    for (const probe of held) {
      // A turn of the event loop per probe: retrieving never waits on I/O, and an index build writes its snapshot
      // meanwhile (each file's next piece waits for one; at 100k articles the calibration is 12 s).
      await new Promise<void>((resolve) => setImmediate(resolve));
      const article = index.articles.get(terms.ids[terms.units.at(probe.unit)!.article]!)!;
      const lang = article.lang ?? defaultLang;
      const filter = { publishedOnly: true };
      const leaveOut = probe.leaveOut ? probe.unit : undefined;
      const asked = await retrieve(view, probe.text, { lang, filter, leaveOut });
      // Leave out the article and its translations: they would answer it.
      const exclude = new Set([article.id, ...Object.values(article.translations).filter((x): x is string => !!x)]);
      const orphan = await retrieve(view, probe.text, { lang, filter: { ...filter, excludeIds: exclude }, leaveOut });
      out.answerX.push(answerFeatures(asked[0], asked[1]), answerFeatures(orphan[0], orphan[1]));
      out.probed.push(article.id);
      out.texts.push(probe.text);
      out.asked.push(asked.slice(0, KEPT_CANDIDATES));
      out.answerY.push(asked[0]?.articleId === article.id ? 1 : 0, 0);
      out.clarifyX.push(clarifyFeatures(asked[0]?.score ?? 0), clarifyFeatures(orphan[0]?.score ?? 0));
      out.clarifyY.push(asked.slice(0, CLARIFY_OPTIONS).some((c) => c.articleId === article.id) ? 1 : 0, 0);
      out.weights.push(probe.weight, probe.weight);
      out.orphanScores.push(orphan[0]?.score ?? 0);
      out.samples++;
    }
  }
  return out;
}

export interface FitOptions {
  /** How much each unanswerable documentation probe counts (default DOCS_ORPHAN_WEIGHT). */
  orphanWeight?: number;
}

/** The calibration the samples call for. */
export function fitCalibration(s: CalibrationSamples, documentation: boolean, options: FitOptions = {}): Calibration {
  const prior = documentation ? DOCS_PRIOR : PRIOR;
  const orphanWeight = options.orphanWeight ?? DOCS_ORPHAN_WEIGHT;
  // Samples alternate: the probe asked (even), then its orphan (odd).
  const weight = (i: number) => s.weights[i]! * (documentation && i % 2 === 1 ? orphanWeight : 1);
  const answer = fitLogistic(s.answerX, s.answerY, prior.answer, PRIOR_STRENGTH, weight);
  return {
    version: 2,
    answer,
    clarify: fitLogistic(s.clarifyX, s.clarifyY, prior.clarify, PRIOR_STRENGTH, weight),
    orphanScores: quantiles(s.orphanScores, MAX_ORPHAN_SCORES),
    samples: s.samples,
    probes: documentation ? 'passages' : 'questions',
    selfService: selfServiceOf(s.probed, (k) => (s.answerY[2 * k] === 1 ? predict(answer, s.answerX[2 * k]!) : 0)),
  };
}

const MAX_WEAKEST = 20;

/** `probed[k]`: the article probe k was asked for; `confidence(k)`: how sure the model is that it answered it with that article (0 when it did not). */
function selfServiceOf(probed: string[], confidence: (k: number) => number): SelfService {
  const totals = new Map<string, { asked: number; sum: number }>();
  probed.forEach((id, k) => {
    const t = totals.get(id) ?? totals.set(id, { asked: 0, sum: 0 }).get(id)!;
    t.asked++;
    t.sum += confidence(k);
  });
  const mean = ([, t]: [string, { asked: number; sum: number }]) => t.sum / t.asked;
  const weakest = [...totals].sort((x, y) => mean(x) - mean(y) || (x[0] < y[0] ? -1 : 1));
  return { weakest: weakest.slice(0, MAX_WEAKEST).map(([id]) => id) };
}

type Scored = Pick<Candidate, 'score' | 'features'>;

/**
 * What the answer model reads, the same when fitting and when predicting:
 * [1, score, margin over the rival, coverage, whether the question's words
 * cover more of it than of the rival]. A model with four weights reads the first four.
 */
function answerFeatures(candidate: Scored | undefined, rival: Scored | undefined): number[] {
  const score = candidate?.score ?? 0;
  const coverage = candidate?.features.coverage ?? 0;
  return [
    1,
    score,
    score - (rival?.score ?? 0),
    coverage,
    coverage - (rival?.features.coverage ?? 0) > DISTINCT_COVERAGE ? 1 : 0,
  ];
}

/** Coverage beyond the rival's that says the question names something only the best article has. */
export const DISTINCT_COVERAGE = 0.01;

/** What the clarify model reads: [1, best score]. */
function clarifyFeatures(best: number): number[] {
  return [1, best];
}

/** Snapshots from before version 2 carry another shape: fall back to the prior. */
function usable(
  c: Partial<Calibration> | undefined,
): Pick<Calibration, 'answer' | 'clarify'> & { orphanScores: number[] } {
  return c?.version === 2 && Array.isArray(c.answer) && Array.isArray(c.clarify) && Array.isArray(c.orphanScores)
    ? (c as Calibration)
    : { ...PRIOR, orphanScores: [] };
}

/**
 * Probability that `candidate` answers the question, next to the best other
 * article `rival`: for the best article the rival is the runner-up.
 */
export function answerConfidence(
  candidate: Scored,
  rival: Scored | undefined,
  calibration: Partial<Calibration> | undefined,
): number {
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
  return countBelow(orphanScores, score) / orphanScores.length;
}

/** Whether each array of orphan scores is in ascending order (quantiles() makes them so), checked once per array. */
const ascending = new WeakMap<readonly number[], boolean>();

/**
 * How many of `values` come before the first one that is not below `x`: on
 * ascending values a binary search gives the count the scan does, and
 * `relevance` runs for every candidate of every question (50 × 200 reads).
 */
function countBelow(values: readonly number[], x: number): number {
  let sorted = ascending.get(values);
  if (sorted === undefined) ascending.set(values, (sorted = values.every((v, i) => i === 0 || values[i - 1]! <= v)));
  if (!sorted) {
    let below = 0;
    while (below < values.length && values[below]! < x) below++;
    return below;
  }
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
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
