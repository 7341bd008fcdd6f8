/**
 * The KB's estimated self-service coverage, for the operator (`npm run kb --
 * lint`, /healthz, the dashboard): how many of the questions its articles
 * cover it would answer, or offer among options, by itself. Real traffic is
 * unknown at index time; the calibration's probes (probes.ts: listed
 * questions left out, titles, reworded sentences of documentation) stand in
 * for it, replayed through the engine's own decision.
 */
import type { Article } from '../../articles/types.ts';
import type { Lang } from '../../contracts/api.ts';
import { decideQuestion } from './answerEngine.ts';
import {
  calibrationFolds,
  calibrationSamples,
  fitCalibration,
  type Calibration,
  type CalibrationSamples,
  type Coverage,
} from './calibration.ts';
import { calibrationHoldouts, holdoutsBeforeFit, type Holdout } from './calibrationFolds.ts';
import { DEFAULT_THRESHOLDS } from './decide.ts';
import type { TermModel } from '../lexical/termModel.ts';
import type { SoftmaxModel } from '../learners/softmaxRegression.ts';
import { isDocumentation } from './probes.ts';
import type { RetrievalIndex } from './retrieve.ts';

/** What calibrating needs before the vectors (see `calibrationFolds`): prepared by a build while its graph builds. */
export function prepareCalibration(index: Pick<RetrievalIndex, 'articles' | 'terms'>): CalibrationPlan {
  const documentation = isDocumentation([...index.articles.values()]);
  return { documentation, folds: calibrationFolds(index, { documentation }) };
}

/**
 * Retrains `terms`' classifier without each set of units on another thread:
 * a model per set, in order, bit for bit what `terms.withoutUnits` trains,
 * or null when it could not (they are then retrained here).
 */
export type RetrainBeside = (
  terms: TermModel,
  leftOut: readonly ReadonlySet<number>[],
) => Promise<SoftmaxModel[] | null>;

/**
 * `prepareCalibration` on two threads: of several folds, the first's
 * classifier is retrained here while `beside` retrains the others; a single
 * fold (the bench's KBs from 1,000 articles: 12 s of CPU at 100k) is
 * retrained beside, while this thread writes the snapshot. The same plan,
 * to the bit.
 */
export async function prepareCalibrationBeside(
  index: Pick<RetrievalIndex, 'articles' | 'terms'>,
  beside: RetrainBeside,
): Promise<CalibrationPlan> {
  const { terms } = index;
  const documentation = isDocumentation([...index.articles.values()]);
  const holdouts = calibrationHoldouts(index, { documentation });
  const { here, others } = foldsBeside(holdouts);
  // Sent before this thread starts its own fold: the worker trains meanwhile.
  const leftOut = others.map((h) => h.leftOut);
  const away = leftOut.length ? beside(terms, leftOut) : null;
  const foldTerms = new Map<Holdout, TermModel>(here ? [[here, terms.withoutUnits(here.leftOut)]] : []);
  const models = await away;
  others.forEach((h, k) => foldTerms.set(h, terms.withoutUnits(h.leftOut, models?.[k])));
  return { documentation, folds: holdouts.map((h) => ({ held: h.held, terms: foldTerms.get(h) ?? terms })) };
}

/**
 * The units each fold `prepareCalibrationBeside` retrains beside leaves out
 * (what it asks `beside` for), from the articles alone: an index build
 * knows them before the term model is fitted.
 */
export function leftOutBeside(articles: readonly Article[]): ReadonlySet<number>[] {
  const holdouts = holdoutsBeforeFit(articles, { documentation: isDocumentation(articles) });
  return foldsBeside(holdouts).others.map((h) => h.leftOut);
}

/** Of several folds to retrain, the first is retrained here and the others beside; a single one beside. */
function foldsBeside(holdouts: Holdout[]): { here: Holdout | undefined; others: Holdout[] } {
  const retrained = holdouts.filter((h) => h.leftOut.size);
  const here = retrained.length > 1 ? retrained[0] : undefined;
  return { here, others: here ? retrained.slice(1) : retrained };
}

export interface CalibrationPlan {
  documentation: boolean;
  folds: ReturnType<typeof calibrationFolds>;
}

/** Calibrate the KB on its own probes (calibration.ts), and estimate its coverage from the same answers. */
export async function calibrate(
  index: RetrievalIndex,
  defaultLang: Lang,
  plan: CalibrationPlan = prepareCalibration(index),
): Promise<Calibration> {
  const { documentation, folds } = plan;
  const samples = await calibrationSamples(index, defaultLang, { documentation }, folds);
  const calibration = fitCalibration(samples, documentation);
  const coverage = estimateCoverage(index, samples, calibration);
  return {
    ...calibration,
    selfService: { weakest: calibration.selfService?.weakest ?? [], ...(coverage ? { coverage } : {}) },
  };
}

/**
 * Each probe's retrieval, decided as the engine would at the default
 * thresholds with the fitted calibration: answered when it answers with the
 * probe's article (or a translation), offered when that article is also
 * among the options of a clarify. Null when nothing was asked.
 */
export function estimateCoverage(
  index: RetrievalIndex,
  s: CalibrationSamples,
  calibration: Calibration,
): Coverage | null {
  let total = 0;
  let answered = 0;
  let offered = 0;
  s.probed.forEach((id, k) => {
    const translations = Object.values(index.articles.get(id)?.translations ?? {});
    const own = new Set([id, ...translations.filter((t): t is string => !!t)]);
    const d = decideQuestion(index, s.texts[k]!, s.asked[k]!, calibration, DEFAULT_THRESHOLDS);
    // Probe k's own sample is the even one; rewordings of one sentence share its weight.
    const weight = s.weights[2 * k]!;
    total += weight;
    const answeredRight = d.action === 'answer' && own.has(d.ranked[0]!.articleId);
    if (answeredRight) answered += weight;
    if (answeredRight || (d.action === 'clarify' && d.options.some((o) => own.has(o.articleId)))) offered += weight;
  });
  if (!total) return null;
  return { answered: answered / total, offered: offered / total, probes: s.samples, articles: new Set(s.probed).size };
}
