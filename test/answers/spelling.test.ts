import { expect } from 'chai';
import { oneEditApart, Speller } from '../../core/answers/lexical/spelling.ts';

describe('spelling against the KB’s own words', () => {
  const speller = new Speller(
    new Map([
      ['verify', 5],
      ['verified', 2],
      ['delivery', 4],
      ['refund', 3],
      ['deliver', 1],
      ['card', 9],
    ]),
  );
  const cases = [
    { word: 'verfiy', expects: 'verify', description: 'two letters swapped' },
    { word: 'delivary', expects: 'delivery', description: 'one letter wrong' },
    { word: 'refnd', expects: 'refund', description: 'one letter missing' },
    { word: 'refundd', expects: 'refund', description: 'one letter too many' },
    { word: 'delivr', expects: 'deliver', description: 'the only word one edit away, however rare' },
    { word: 'refund', expects: null, description: 'a word the KB uses is left alone' },
    { word: 'crd', expects: null, description: 'short words have too many neighbours to guess' },
    { word: 'zebra', expects: null, description: 'nothing close enough' },
    { word: 'ref4nd', expects: null, description: 'numbers are not misspellings' },
  ];
  for (const c of cases)
    it(`${c.word} → ${c.expects} (${c.description})`, () => expect(speller.correct(c.word)).to.equal(c.expects));

  it('remembers a correction: asked again, and after other words, the same answer as a speller asking once', () => {
    const words = ['verfiy', 'delivary', 'zebra', 'refnd', 'verfiy', 'zebra', 'delivr', 'refnd'];
    const remembered = words.map((w) => speller.correct(w));
    const once = words.map((w) =>
      new Speller(new Map(speller.parts().words.map((x, i) => [x, speller.parts().counts[i]!]))).correct(w),
    );
    expect(remembered).to.deep.equal(once);
    expect(remembered).to.deep.equal(['verify', 'delivery', null, 'refund', 'verify', null, 'deliver', 'refund']);
  });

  it('keeps its corrections to itself: another snapshot’s speller answers from its own words', () => {
    expect(speller.correct('delivary')).to.equal('delivery');
    const other = new Speller(new Map([['delivers', 1]]));
    expect(other.correct('delivary')).to.equal(null);
    expect(other.correct('deliver')).to.equal('delivers');
    expect(speller.correct('deliver')).to.equal(null);
  });

  it('counts one edit exactly', () => {
    expect(oneEditApart('form', 'from')).to.equal(true);
    expect(oneEditApart('form', 'farm')).to.equal(true);
    expect(oneEditApart('form', 'forms')).to.equal(true);
    expect(oneEditApart('form', 'form')).to.equal(false);
    expect(oneEditApart('form', 'fame')).to.equal(false);
  });

  describe('compound words', () => {
    const kb = new Set(['timezone', 'pay', 'day', 'card', 'not']);
    const known = (w: string) => kb.has(w);
    const cases = [
      { words: ['what', 'time', 'zone'], expects: ['timezone'], description: 'two words the KB writes as one' },
      { words: ['next', 'payday'], expects: ['pay', 'day'], description: 'one word the KB writes as two' },
      {
        words: ['card', 'not'],
        expects: [],
        description: 'known words are not split, and pairs join only into KB words',
      },
      { words: ['payto'], expects: [], description: 'parts shorter than three letters are not guessed' },
      { words: ['pay2day'], expects: [], description: 'numbers are left alone' },
    ];
    for (const c of cases)
      it(`${c.words.join(' ')} → ${c.expects.join(' ') || 'nothing'} (${c.description})`, () =>
        expect(speller.compounds(c.words, known)).to.deep.equal(c.expects));

    it('remembers each word’s split when given a place to: the same parts again, without trying its cuts', () => {
      const splits = new Map<string, string[]>();
      const asked: string[] = [];
      const counting = (w: string) => (asked.push(w), known(w));
      const question = ['next', 'payday', 'crdnot'];
      const first = speller.compounds(question, counting, splits);
      const askedFirst = asked.length;
      asked.length = 0;
      expect(speller.compounds(question, counting, splits)).to.deep.equal(first);
      expect(first).to.deep.equal(speller.compounds(question, known));
      expect(first).to.deep.equal(['pay', 'day']);
      // Only the joined pairs are asked again ("nextpayday", "paydaycrdnot"): no word is cut a second time.
      expect(asked).to.deep.equal(['nextpayday', 'paydaycrdnot']);
      expect(askedFirst).to.be.greaterThan(asked.length);
    });
  });
});
