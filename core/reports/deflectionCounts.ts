import type { Period } from './outcomes.ts';

/** The counts behind one deflection row (docs/reports.md); rates are derived from them. */
export interface DeflectionCounts {
  questions: number;
  answered: number;
  suggested: number;
  confirmed: number;
  notHelpful: number;
  selfServed: number;
  selfServedConfirmed: number;
  escalated: number;
  escalatedByUser: number;
  escalatedAfterNotHelpful: number;
  escalatedNoAnswer: number;
  abandoned: number;
  windowOpen: number;
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
