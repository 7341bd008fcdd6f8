import type { Action } from '../../contracts/api.ts';
import { answerConfidence, clarifyConfidence, relevance, type Calibration } from './calibration.ts';
import type { Candidate } from './retrieve.ts';
import type { VersionNamed } from './titleVariants.ts';

export interface Thresholds {
  /** Calibrated probability that the best article answers the question, needed to answer outright. */
  answer: number;
  /** Probability that one of the first few articles answers it, needed to offer them (else a ticket). */
  clarify: number;
  /**
   * If the runner-up scores within this of the best, ask instead of guessing (the confidence already weighs the margin).
   * 0 still asks on an exact tie: two articles with the same evidence are not a confident answer, whatever the confidence says.
   */
  margin: number;
}

/** Chosen on the dev sets (docs/quality.md): at most ~5 % wrong answers to answerable questions on each. */
export const DEFAULT_THRESHOLDS: Thresholds = { answer: 0.55, clarify: 0.4, margin: 0 };

export interface ScoredCandidate extends Candidate {
  confidence: number;
}

export interface Decision {
  action: Action;
  /** Best first, each with its calibrated confidence. */
  ranked: ScoredCandidate[];
  /** For clarify: the options offered. */
  options: ScoredCandidate[];
}

const MAX_OPTIONS = 3;
/** Options must score at least this share of the best: a distant third is noise, not a choice. */
const OPTION_SHARE = 0.8;

/**
 * Answer, clarify or ticket, from the ranked candidates and the KB's calibration.
 * `similarity(a, b)`: how alike two articles are (0..1), to ask between near-duplicates the question does not tell apart.
 * `namesBest(best, rival)`: what the question names of the titles that set `best` apart from its near-duplicate `rival` (titleVariants.ts).
 */
export function decide(
  candidates: Candidate[],
  calibration: Partial<Calibration> | undefined,
  t: Thresholds,
  similarity?: (a: string, b: string) => number,
  namesBest?: (best: string, rival: string) => VersionNamed,
): Decision {
  const ranked = scoreConfidence(candidates, calibration);
  const best = ranked[0];
  if (!best) return { action: 'ticket', ranked, options: [] };
  // Only documentation titles name versions: an FAQ's title is a question, its words are wording.
  const names = calibration?.probes === 'passages' ? namesBest : undefined;
  const twin = ranked[1] !== undefined && !!similarity && indistinct(best, ranked[1], similarity, names);
  const close = ranked[1] !== undefined && (best.score - ranked[1].score <= t.margin || twin);
  if (best.confidence >= t.answer && !close) return { action: 'answer', ranked, options: [] };
  if (clarifyConfidence(best.score, calibration) < t.clarify) return { action: 'ticket', ranked, options: [] };
  // A near-duplicate runner-up is always offered: it is the other half of the question asked.
  const options = ranked
    .slice(0, MAX_OPTIONS)
    .filter((c, i) => c.score >= best.score * OPTION_SHARE || (twin && i === 1));
  return { action: 'clarify', ranked, options };
}

/**
 * The best article's confidence is the probability that it answers the
 * question; each runner-up's is its own relevance, never above the best's,
 * so a question nothing answers well suggests nothing either.
 */
function scoreConfidence(candidates: Candidate[], calibration: Partial<Calibration> | undefined): ScoredCandidate[] {
  const [first, second] = candidates;
  if (!first) return [];
  const top = answerConfidence(first, second, calibration);
  // Written out rather than spread ({ ...c }): the same fields in the same order, without a generic copy per candidate.
  return candidates.map((c, i) => ({
    articleId: c.articleId,
    score: c.score,
    features: c.features,
    confidence: i === 0 ? top : Math.min(top, relevance(c.score, calibration)),
  }));
}

/**
 * Coverage beyond a near-duplicate's that tells the two apart: more than the
 * confidence feature's DISTINCT_COVERAGE, because between two versions of one
 * how-to a sliver of coverage is a few character grams or a rarer word form
 * one of them happens to use, not the platform or product the question names;
 * slivers of 2 % answered the wrong version (docs/quality.md).
 */
export const TWIN_DISTINCT_COVERAGE = 0.025;
/** Articles this alike (centroid cosine) are one how-to written twice, per platform or per product. */
export const NEAR_DUPLICATE = 0.55;

/**
 * The runner-up is a near-duplicate of the best article and the question
 * names nothing only the best one has ("encrypt my device" beside the
 * Android and iOS versions): which one is a guess, so ask.
 */
function indistinct(
  best: Candidate,
  rival: Candidate,
  similarity: (a: string, b: string) => number,
  namesBest?: (best: string, rival: string) => VersionNamed,
): boolean {
  // The title says which version a question chose, whatever share of either body it covers:
  // "outlook on my android" covers the Android and iOS pages alike (docs/quality.md).
  const named = namesBest?.(best.articleId, rival.articleId) ?? 'unread';
  if (named === 'chosen') return false;
  if (named === 'unread' && best.features.coverage - rival.features.coverage > TWIN_DISTINCT_COVERAGE) return false;
  return similarity(best.articleId, rival.articleId) >= NEAR_DUPLICATE;
}
