import type { Action } from '../contracts/api.ts';
import { answerConfidence, clarifyConfidence, relevance, type Calibration } from './calibration.ts';
import type { Candidate } from './retrieve.ts';

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

/** Answer, clarify or ticket, from the ranked candidates and the KB's calibration. */
export function decide(candidates: Candidate[], calibration: Partial<Calibration> | undefined, t: Thresholds): Decision {
  const ranked = scoreConfidence(candidates, calibration);
  const best = ranked[0];
  if (!best) return { action: 'ticket', ranked, options: [] };
  const close = ranked[1] !== undefined && best.score - ranked[1].score <= t.margin;
  if (best.confidence >= t.answer && !close) return { action: 'answer', ranked, options: [] };
  if (clarifyConfidence(best.score, calibration) < t.clarify) return { action: 'ticket', ranked, options: [] };
  const options = ranked.slice(0, MAX_OPTIONS).filter((c) => c.score >= best.score * OPTION_SHARE);
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
  const top = answerConfidence(first, second?.score ?? 0, calibration);
  return candidates.map((c, i) => ({ ...c, confidence: i === 0 ? top : Math.min(top, relevance(c.score, calibration)) }));
}
