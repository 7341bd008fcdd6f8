import { expect } from 'chai';
import { oneEditApart, Speller } from '../../core/answers/lexical/spelling.ts';

/** The rule the table must give, by a scan of every KB word: the most frequent one edit away, then the first in order. */
function bruteForce(frequency: Map<string, number>, word: string): string | null {
  if (word.length < 4 || frequency.has(word) || /\d/.test(word)) return null;
  let best: string | null = null;
  for (const [w, f] of frequency)
    if (w.length >= 3 && oneEditApart(word, w))
      if (!best || f > frequency.get(best)! || (f === frequency.get(best) && w < best)) best = w;
  return best;
}

describe('Speller table', () => {
  it('corrects exactly as a scan of every KB word would, over thousands of words and typos', () => {
    let seed = 3;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const letters = 'abcdeilmnoprstu';
    const word = (n: number) =>
      Array.from({ length: n }, () => letters[Math.floor(random() * letters.length)]).join('');
    const frequency = new Map<string, number>();
    for (let i = 0; i < 3000; i++) frequency.set(word(3 + Math.floor(random() * 6)), 1 + Math.floor(random() * 5));
    const speller = new Speller(frequency);
    const known = [...frequency.keys()];
    let corrected = 0;
    for (let i = 0; i < 1500; i++) {
      const w = known[Math.floor(random() * known.length)]!;
      const k = Math.floor(random() * w.length);
      const typo = [
        w.slice(0, k) + w.slice(k + 1),
        w.slice(0, k) + 'x' + w.slice(k),
        w.slice(0, k) + 'e' + w.slice(k + 1),
      ][i % 3]!;
      const expected = bruteForce(frequency, typo);
      expect(speller.correct(typo), typo).to.equal(expected);
      if (expected) corrected++;
    }
    // The typos reach real corrections, not only nulls.
    expect(corrected).to.be.greaterThan(500);
  });
});
