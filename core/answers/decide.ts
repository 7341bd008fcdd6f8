import type { Action } from '../contracts/api.ts';
import { confidenceOf, type Calibration } from './calibration.ts';
import type { Candidate } from './retrieve.ts';

export interface Thresholds {
  /** Confidence needed to answer outright. */
  answer: number;
  /** Confidence needed to be offered as an option. */
  clarify: number;
  /** If the runner-up is within this score of the best, ask instead of guessing. */
  margin: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = { answer: 0.95, clarify: 0.75, margin: 0.02 };

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

/** Answer, clarify or ticket, from the ranked candidates and the KB's calibration. */
export function decide(candidates: Candidate[], calibration: Calibration, t: Thresholds): Decision {
  const ranked = candidates.map((c) => ({ ...c, confidence: confidenceOf(c.score, calibration) }));
  const [best, second] = ranked;
  if (!best || best.confidence < t.clarify) return { action: 'ticket', ranked, options: [] };
  const close = second !== undefined && best.score - second.score < t.margin && second.confidence >= t.clarify;
  if (best.confidence >= t.answer && !close) return { action: 'answer', ranked, options: [] };
  const options = ranked.filter((c) => c.confidence >= t.clarify).slice(0, MAX_OPTIONS);
  return { action: 'clarify', ranked, options };
}
