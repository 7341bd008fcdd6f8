import type { CsatCounts, CsatReport } from '../../core/reports/csat.ts';

/** The CSAT report as one table (the CSV): ticket ratings then bot-answer ratings, each group then the total. */
export function csatRows(r: CsatReport): ({ rated: 'ticket' | 'answer'; key: string } & CsatCounts)[] {
  const counts = ({ offered, responded, good, bad, score, responseRate }: CsatCounts) => ({
    offered,
    responded,
    good,
    bad,
    score,
    responseRate,
  });
  return [
    ...r.groups.map((g) => ({ rated: 'ticket' as const, key: g.key, ...counts(g) })),
    { rated: 'ticket', key: '(total)', ...counts(r) },
    ...r.answers.groups.map((g) => ({ rated: 'answer' as const, key: g.key, ...counts(g) })),
    { rated: 'answer', key: '(total)', ...counts(r.answers) },
  ];
}
