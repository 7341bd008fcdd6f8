import type { Period } from './outcomes.ts';

/** The counts behind one deflection row (docs/reports.md); rates are derived from them. */
export interface DeflectionCounts {
  questions: number;
  /** An article's answer was shown. */
  answered: number;
  /** No answer, but articles were offered to choose from. */
  suggested: number;
  /** The user said an article helped. */
  confirmed: number;
  notHelpful: number;
  /** Answered or offered, and no ticket followed within the window. */
  selfServed: number;
  /** Self-served and confirmed. */
  selfServedConfirmed: number;
  /** A ticket followed within the window (from the conversation or the same person). */
  escalated: number;
  escalatedByUser: number;
  escalatedAfterNotHelpful: number;
  escalatedNoAnswer: number;
  /** Nothing shown and no ticket: the user gave up. */
  abandoned: number;
  /** Self-served questions whose window has not closed yet: they may still escalate. */
  windowOpen: number;
  /** Tickets opened in this period/language/channel; for article, tag and category: tickets that followed a question about it. */
  tickets: number;
}

/**
 * What a store that computes the deflection counts itself (PostgreSQL) is
 * asked: the period, the moment windows are judged open at, and how to
 * group. Tags and categories come as `articleGroups`: the key(s) each known
 * article counts under; a question about an article not listed counts under
 * `notInKb`, one without an article under `none`.
 */
export interface DeflectionQuery {
  period: Period;
  now: number;
  groupBy: 'day' | 'week' | 'lang' | 'channel' | 'article' | 'articleGroups';
  articleGroups?: { article: string; key: string }[];
  none: string;
  notInKb: string;
}

export interface CountedDeflection {
  totals: DeflectionCounts;
  rows: { key: string; counts: DeflectionCounts }[];
}

export function zeroCounts(): DeflectionCounts {
  return {
    questions: 0,
    answered: 0,
    suggested: 0,
    confirmed: 0,
    notHelpful: 0,
    selfServed: 0,
    selfServedConfirmed: 0,
    escalated: 0,
    escalatedByUser: 0,
    escalatedAfterNotHelpful: 0,
    escalatedNoAnswer: 0,
    abandoned: 0,
    windowOpen: 0,
    tickets: 0,
  };
}
