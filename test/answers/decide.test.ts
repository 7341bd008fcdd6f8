import { expect } from 'chai';
import { UNCALIBRATED, type Calibration } from '../../core/answers/pipeline/calibration.ts';
import { decide, type Thresholds } from '../../core/answers/pipeline/decide.ts';
import type { Candidate } from '../../core/answers/pipeline/retrieve.ts';

const features = {
  nearest: 0,
  second: 0,
  centroid: 0,
  coverage: 0,
  bm25: 0,
  probability: 0,
  dense: 0,
  denseCentroid: 0,
};
const candidates = (...scores: number[]): Candidate[] =>
  scores.map((score, i) => ({ articleId: `a${i + 1}`, score, features }));
/** With these weights the best article's confidence is σ(−8 + 10·best + 10·margin); clarify asks σ(−4 + 10·best). */
const calibration: Calibration = {
  version: 2,
  answer: [-8, 10, 10],
  clarify: [-4, 10],
  orphanScores: [],
  samples: 100,
};
const t: Thresholds = { answer: 0.6, clarify: 0.5, margin: 0 };

describe('decide', () => {
  const cases = [
    { scores: [0.9, 0.2], action: 'answer', options: [], description: 'a strong best article well ahead' },
    {
      scores: [0.6, 0.58, 0.2],
      action: 'clarify',
      options: ['a1', 'a2'],
      description: 'two close articles: ask, offering both',
    },
    { scores: [0.45, 0.1], action: 'clarify', options: ['a1'], description: 'plausible but not sure: offer the one' },
    { scores: [0.3, 0.29], action: 'ticket', options: [], description: 'nothing scores well' },
    { scores: [], action: 'ticket', options: [], description: 'nothing found at all' },
  ];
  for (const c of cases) {
    it(`${c.action}: ${c.description}`, () => {
      const d = decide(candidates(...c.scores), calibration, t);
      expect(d.action).to.equal(c.action);
      expect(d.options.map((o) => o.articleId)).to.deep.equal(c.options);
    });
  }

  it('asks instead of answering on an exact tie, even when confident', () => {
    const tie = decide(candidates(0.95, 0.95), calibration, t);
    expect(tie.ranked[0]!.confidence).to.be.above(t.answer);
    expect(tie.action).to.equal('clarify');
    expect(decide(candidates(0.95, 0.9499), calibration, t).action).to.equal('answer');
  });

  it('asks instead of answering when the runner-up is within the margin', () => {
    expect(decide(candidates(0.95, 0.9), calibration, { ...t, margin: 0.1 }).action).to.equal('clarify');
    expect(decide(candidates(0.95, 0.9), calibration, t).action).to.equal('answer');
  });

  describe('between near-duplicate articles (the same how-to per platform)', () => {
    const covering = (coverages: number[]) =>
      candidates(0.9, 0.7).map((c, i) => ({ ...c, features: { ...features, coverage: coverages[i]! } }));
    const alike = () => 0.8;
    const unalike = () => 0.2;

    it('asks which one when the question covers both alike, however confident, offering both', () => {
      const d = decide(covering([0.9, 0.9]), calibration, t, alike);
      expect(d.ranked[0]!.confidence).to.be.above(t.answer);
      expect(d.action).to.equal('clarify');
      expect(d.options.map((o) => o.articleId)).to.deep.equal(['a1', 'a2']);
    });

    it('answers when the question names something only the best one has', () => {
      expect(decide(covering([0.9, 0.6]), calibration, t, alike).action).to.equal('answer');
    });

    it('still asks when the question covers the best one by a sliver only (a word fragment, not a platform)', () => {
      const d = decide(covering([0.52, 0.5]), calibration, t, alike);
      expect(d.ranked[0]!.confidence).to.be.above(t.answer);
      expect(d.action).to.equal('clarify');
      expect(decide(covering([0.56, 0.5]), calibration, t, alike).action).to.equal('answer');
    });

    it("asks when the question covers one version better but names none of its title's own words (iPhone vs the Android page)", () => {
      const unnamed = () => 'unnamed' as const;
      const docs: Calibration = { ...calibration, probes: 'passages' };
      expect(decide(covering([0.9, 0.6]), docs, t, alike, unnamed).action).to.equal('clarify');
      expect(decide(covering([0.9, 0.6]), docs, t, alike, () => 'unread').action).to.equal('answer');
      expect(decide(covering([0.9, 0.6]), docs, t, unalike, unnamed).action).to.equal('answer');
      // An FAQ's titles are questions: the words they differ by are wording, not a version.
      expect(decide(covering([0.9, 0.6]), calibration, t, alike, unnamed).action).to.equal('answer');
    });

    it("answers when the question names the best version in its title's words, however alike it covers both", () => {
      const docs: Calibration = { ...calibration, probes: 'passages' };
      // "outlook on my android" covers the Android and iOS pages alike: the title word chose one.
      expect(decide(covering([0.34, 0.32]), docs, t, alike, () => 'chosen').action).to.equal('answer');
      expect(decide(covering([0.34, 0.32]), docs, t, alike, () => 'unread').action).to.equal('clarify');
      // Only documentation titles name versions.
      expect(decide(covering([0.34, 0.32]), calibration, t, alike, () => 'chosen').action).to.equal('clarify');
    });

    it('answers when the two articles are not alike', () => {
      expect(decide(covering([0.9, 0.9]), calibration, t, unalike).action).to.equal('answer');
      expect(decide(covering([0.9, 0.9]), calibration, t).action).to.equal('answer');
    });
  });

  it('leaves out options scoring far below the best', () => {
    expect(decide(candidates(0.6, 0.58, 0.3), calibration, t).options.map((o) => o.articleId)).to.deep.equal([
      'a1',
      'a2',
    ]);
  });

  it('falls back to the prior for a snapshot calibrated by an older version', () => {
    const old = { unanswerable: [0.1, 0.2], samples: 2 } as unknown as Calibration;
    expect(decide(candidates(0.95, 0.1), old, t)).to.deep.equal(decide(candidates(0.95, 0.1), UNCALIBRATED, t));
  });
});
