/**
 * The KB's estimated self-service coverage, for the operator (`npm run kb --
 * lint`, /healthz, the dashboard): how many of the questions its articles
 * cover it would answer, or offer among options, by itself. Real traffic is
 * unknown at index time; the calibration's probes (probes.ts: listed
 * questions left out, titles, reworded sentences of documentation) stand in
 * for it, replayed through the engine's own decision.
 */
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
import { DEFAULT_THRESHOLDS } from './decide.ts';
import { isDocumentation } from './probes.ts';
import type { RetrievalIndex } from './retrieve.ts';

/** What calibrating needs before the vectors (see `calibrationFolds`): prepared by a build while its graph builds. */
export function prepareCalibration(index: Pick<RetrievalIndex, 'articles' | 'terms'>): CalibrationPlan {
  const documentation = isDocumentation([...index.articles.values()]);
  return { documentation, folds: calibrationFolds(index, { documentation }) };
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
