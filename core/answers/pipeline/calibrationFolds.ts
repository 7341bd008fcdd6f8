/**
 * The calibration's folds (calibration.ts): which of the KB's own probes
 * each fold asks, and the classifier that never saw them. Apart from the
 * fit, so that an index build can retrain the folds' classifiers on two
 * threads at once (`prepareCalibration` in coverage.ts).
 */
import type { Article } from '../../articles/types.ts';
import type { TermModel } from '../lexical/termModel.ts';
import { passageUnitsLazily, termDocOf } from '../lexical/termUnits.ts';
import { probesOf, REWORDINGS, type Probe, type ProbeSource } from './probes.ts';
import type { SampleOptions } from './calibration.ts';
import type { RetrievalIndex } from './retrieve.ts';

/** About this many questions are asked (fewer on a KB so large that each costs more); more would cost index time without changing the fit much. */
const TARGET_PROBES = 300;
const MIN_PROBES = 100;
/** Phrasings beyond which each question asked costs noticeably more. */
const LARGE_KB_UNITS = 3000;
const COSTLY_CLASSIFIER = 30_000;
const FOLDS = 5;

/** A fold before its retraining: the probes it asks, and the units its classifier must not have seen. */
export interface Holdout {
  held: Probe[];
  leftOut: ReadonlySet<number>;
}

/**
 * Each fold's held-out probes and the term model that never saw them (a
 * classifier retrained per fold). Reads the articles and the term model
 * only, not the vectors: an index build prepares them while its vector
 * graph is still being built on the other core.
 */
export function calibrationFolds(
  index: Pick<RetrievalIndex, 'articles' | 'terms'>,
  options: SampleOptions,
): { held: Probe[]; terms: RetrievalIndex['terms'] }[] {
  const { terms } = index;
  return calibrationHoldouts(index, options).map(({ held, leftOut }) => ({
    held,
    terms: leftOut.size ? terms.withoutUnits(leftOut) : terms,
  }));
}

/** What `calibrationFolds` retrains each fold without, before retraining anything: folds with no probe left out. */
export function calibrationHoldouts(
  index: ProbeSource & { terms: Pick<TermModel, 'classifierCost'> },
  options: SampleOptions,
): Holdout[] {
  const { terms } = index;
  const { documentation } = options;
  const rewordings = documentation ? (options.rewordings ?? REWORDINGS) : 1;
  const probes = probesOf(index, documentation, rewordings, options.seed ?? 0);
  // Reworded passages need no retraining, and twice as many keep the fit steady.
  const target = Math.max(
    MIN_PROBES,
    Math.round(TARGET_PROBES * (documentation ? 2 * rewordings : 1) * Math.min(1, LARGE_KB_UNITS / terms.units.length)),
  );
  const perFold = probes.length / FOLDS;
  // Each fold retrains the classifier: on a costly KB, two are enough.
  const maxFolds = terms.classifierCost > COSTLY_CLASSIFIER ? 2 : FOLDS;
  const folds = Math.min(maxFolds, Math.max(1, Math.ceil(target / Math.max(1, perFold))));
  return Array.from({ length: folds }, (_, f) => {
    // Every FOLDS-th probe, at most `target` in all: spread over the whole KB.
    const fold = probes.filter((_, k) => k % FOLDS === f);
    const held = fold.filter((_, k) => k % Math.max(1, Math.floor(fold.length / target)) === 0).slice(0, target);
    // A classifier that never saw the phrasings left out, so asking them is like asking new questions.
    return { held, leftOut: new Set(held.filter((p) => p.leaveOut).map((p) => p.unit)) };
  }).filter((f) => f.held.length);
}

/**
 * `calibrationHoldouts` from the articles alone, before their term model is
 * fitted: the units such a model has (as `TermModel.restore` reads them from
 * the same articles), and its classifier's cost as `TermModel.classifierCost`
 * counts it. An index build sends the units left out to the folds' worker
 * this early (`FoldClassifierThread.holdOut`), which checks them against the
 * plan's once the model is there.
 */
export function holdoutsBeforeFit(articles: readonly Article[], options: SampleOptions): Holdout[] {
  const docs = articles.map(termDocOf);
  const units = passageUnitsLazily(docs);
  const ids = docs.map((d) => d.id);
  const classifierCost = units.matched.reduce((n, m) => n + m, 0) * ids.length;
  const byId = new Map(articles.map((a) => [a.id, a]));
  return calibrationHoldouts({ articles: byId, terms: { ids, units, classifierCost } }, options);
}
