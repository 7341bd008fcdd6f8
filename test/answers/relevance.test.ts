import { expect } from 'chai';
import { PRIOR, relevance, type Calibration } from '../../core/answers/pipeline/calibration.ts';

/** A calibration whose only part that matters here is its orphan scores. */
const calibrated = (orphanScores: number[]): Calibration => ({ version: 2, ...PRIOR, orphanScores, samples: 0 });

/** The share of orphan scores an article beats, as relevance() always counted it: scanning until one is not below. */
function scanned(orphanScores: number[], score: number): number {
  let below = 0;
  while (below < orphanScores.length && orphanScores[below]! < score) below++;
  return below / orphanScores.length;
}

describe('relevance (a runner-up against the scores of questions nothing answers)', () => {
  const ascending = Array.from({ length: 200 }, (_, i) => 0.1 + 0.002 * Math.floor(i / 3));
  const unsorted = [...ascending.slice(100), ...ascending.slice(0, 100)];
  const cases = [
    { orphans: ascending, description: 'ascending, with ties (as quantiles() stores them)' },
    { orphans: unsorted, description: 'out of order (an older or hand-made snapshot): counted as the scan counts' },
  ];
  for (const { orphans, description } of cases)
    it(`beats the share of orphan scores the scan counts, ${description}`, () => {
      const calibration = calibrated(orphans);
      for (const score of [0, 0.1, 0.1001, 0.15, 0.2, 0.298, 0.3, 0.5, 1, ...orphans])
        expect(relevance(score, calibration)).to.equal(scanned(orphans, score));
    });
});
