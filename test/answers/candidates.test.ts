import { expect } from 'chai';
import {
  candidateArticles,
  candidateScratch,
  CLASSIFIER_CANDIDATES,
  FULL_SCORING_MAX,
  OVERLAP_CANDIDATES,
} from '../../core/answers/lexical/candidates.ts';
import { TermModel, type TermDoc } from '../../core/answers/lexical/termModel.ts';
import { WordBags } from '../../core/answers/lexical/wordBags.ts';

/** A made-up word for each number: every article gets two of its own, which no other article uses. */
const word = (n: number) => {
  let s = '';
  for (let x = n + 26 * 26; x > 0; x = Math.floor(x / 26)) s += String.fromCharCode(97 + (x % 26));
  return `q${s}z`;
};
const doc = (i: number): TermDoc => ({
  id: `a${i}`,
  lang: 'en',
  title: `${word(2 * i)} account settings`,
  questions: [`how do I change the ${word(2 * i)} ${word(2 * i + 1)} of my account`],
  passages: [],
});
const everything = () => true;

describe('candidate articles (TermModel.scoreCandidates)', () => {
  const small = TermModel.build(Array.from({ length: 40 }, (_, i) => doc(i)));
  // Above FULL_SCORING_MAX: every article shares "account", "settings", "change" and their 4-grams with any question.
  const large = TermModel.build(
    Array.from({ length: FULL_SCORING_MAX + 200 }, (_, i) => doc(i)),
    { classifier: false },
  );

  it('scores every allowed article of a KB up to FULL_SCORING_MAX, as score() does', () => {
    const q = small.vectorize(`change the ${word(14)} of my account`, 'en');
    const allowed = (a: number) => a !== 3;
    const c = small.scoreCandidates(q, allowed);
    expect([...c.articles]).to.deep.equal([...Array(40).keys()].filter(allowed));
    // Without a classifier too (its most probable would be every article of so small a KB).
    const lexical = TermModel.build(
      Array.from({ length: 40 }, (_, i) => doc(i)),
      { classifier: false },
    );
    expect([
      ...lexical.scoreCandidates(lexical.vectorize(`change the ${word(14)} of my account`, 'en'), allowed).articles,
    ]).to.deep.equal([...Array(40).keys()].filter(allowed));
    const s = small.score(q, allowed);
    c.articles.forEach((a, i) => {
      expect(c.nearest[i]).to.equal(s.nearest[a]);
      expect(c.centroid[i]).to.equal(s.centroid[a]);
      expect(c.bm25[i]).to.equal(s.bm25[a]);
      expect(c.probability[i]).to.equal(s.probability[a]);
    });
  });

  it('on a larger KB, scores the articles sharing rare words, and the extra ones asked for, not every article', () => {
    const q = large.vectorize(`how do I change the ${word(2 * 1234 + 1)} of my account settings`, 'en');
    const c = large.scoreCandidates(q, everything, { extra: [7, 2000] });
    expect([...c.articles]).to.include.members([7, 1234, 2000]);
    expect(c.articles.length).to.be.below(OVERLAP_CANDIDATES + 2);
    expect([...c.articles]).to.deep.equal([...c.articles].sort((x, y) => x - y));
    // Article 5 shares only the common words: not a candidate.
    expect([...c.articles]).not.to.include(5);
  });

  it('gives each candidate the same evidence, to the last bit, as scoring every article', () => {
    const q = large.vectorize(`${word(2 * 1234)} ${word(2 * 99)} account`, 'en');
    const c = large.scoreCandidates(q, everything, { extra: [42] });
    const s = large.score(q, everything);
    for (const [i, a] of c.articles.entries()) {
      for (const k of ['nearest', 'second', 'centroid', 'coverage', 'bm25'] as const) expect(c[k][i]).to.equal(s[k][a]);
    }
    const best = c.articles[c.nearest.indexOf(Math.max(...c.nearest))];
    expect(large.ids[best!]).to.equal('a1234');
  });

  it('leaves nothing behind for the next question: the same question scores the same after another', () => {
    const q = large.vectorize(`${word(2 * 1500)} account`, 'en');
    const first = large.scoreCandidates(q, everything);
    large.scoreCandidates(large.vectorize(`${word(2 * 1501)} ${word(2 * 1500)}`, 'en'), everything, { extra: [3] });
    const again = large.scoreCandidates(q, everything);
    expect([...again.articles]).to.deep.equal([...first.articles]);
    expect([...again.coverage]).to.deep.equal([...first.coverage]);
    expect([...again.nearest]).to.deep.equal([...first.nearest]);
  });

  it('never takes an article the filter excludes, even when asked for it', () => {
    const q = large.vectorize(`${word(2 * 1234)} account`, 'en');
    const c = large.scoreCandidates(q, (a) => a !== 1234 && a !== 7, { extra: [7] });
    expect([...c.articles]).not.to.include.members([1234]);
    expect([...c.articles]).not.to.include(7);
  });

  it(`takes the ${OVERLAP_CANDIDATES} allowed articles of most rare-word weight, ties to the smaller number, and clears its scratch`, () => {
    // 2,400 articles: article a holds feature a % 12 and, below 1,800, feature 12 + a % 9 (each in at most a tenth of them).
    const n = FULL_SCORING_MAX + 400;
    const builder = WordBags.builder(n);
    for (let a = 0; a < n; a++)
      if (a < 1800) builder.add(a, Int32Array.of(a % 12, 12 + (a % 9)), Int32Array.of(1, 1), 2);
      else builder.add(a, Int32Array.of(a % 12), Int32Array.of(1), 1);
    const bags = builder.build(21, () => 1);
    // Few distinct weights: many articles tie at the cut.
    const w = [
      0.5, 0.5, 0.25, 0.25, 0.25, 0.125, 0.5, 0.125, 0.25, 0.5, 0.125, 0.25, 0.25, 0.5, 0.125, 0.25, 0.5, 0.125, 0.25,
      0.5, 0.25,
    ];
    const q = { ids: Int32Array.from(w.keys()), w: Float32Array.from(w) };
    const allowed = (a: number) => a % 13 !== 0;
    const overlapOf = (a: number) => w[a % 12]! ** 2 + (a < 1800 ? w[12 + (a % 9)]! ** 2 : 0);
    const expected = [...Array(n).keys()]
      .filter(allowed)
      .sort((x, y) => overlapOf(y) - overlapOf(x) || x - y)
      .slice(0, OVERLAP_CANDIDATES)
      .sort((x, y) => x - y);
    const scratch = candidateScratch(n);
    const ask = () => candidateArticles({ q, bags, articles: n, allowed, probability: null, extra: [], scratch });
    const first = ask();
    expect([...first]).to.deep.equal(expected);
    expect(scratch.overlap.every((x) => x === 0)).to.equal(true);
    scratch.mask.fill(0);
    expect([...ask()]).to.deep.equal(expected);
  });

  it(`adds the classifier's ${CLASSIFIER_CANDIDATES} most probable articles, whatever their words`, () => {
    // Bags where article a holds feature a only; the question has none of them.
    const n = FULL_SCORING_MAX + 100;
    const builder = WordBags.builder(n);
    for (let a = 0; a < n; a++) builder.add(a, Int32Array.of(a), Int32Array.of(1), 1);
    const bags = builder.build(n, () => 1);
    const probability = Float64Array.from({ length: n }, (_, a) => (a % 97) / 1000 + a / 1e9);
    const expected = [...probability.keys()].sort((x, y) => probability[y]! - probability[x]!);
    const articles = candidateArticles({
      q: { ids: Int32Array.of(), w: Float32Array.of() },
      bags,
      articles: n,
      allowed: (a) => a !== expected[0],
      probability,
      extra: [],
      scratch: candidateScratch(n),
    });
    expect([...articles]).to.deep.equal(expected.slice(1, CLASSIFIER_CANDIDATES + 1).sort((x, y) => x - y));
  });
});
