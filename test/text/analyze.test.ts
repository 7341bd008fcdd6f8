import { expect } from 'chai';
import { fold, terms, words } from '../../core/text/analyze.ts';
import { cachedTerms } from '../../core/text/cachedTerms.ts';

/** The analysis as it was written first: NFKD, marks out, lower case, then Unicode's letters and digits. */
const unicodeWords = (text: string) =>
  text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .match(/[\p{L}\p{N}]+/gu) ?? [];

describe('words and fold: ASCII text the same as through Unicode’s tables', () => {
  const cases: { input: string; expects: string[]; description: string }[] = [
    { input: 'Reset your PASSWORD', expects: ['reset', 'your', 'password'], description: 'lower-cased ASCII' },
    {
      input: 'vpn_client-2 (v3.1)',
      expects: ['vpn', 'client', '2', 'v3', '1'],
      description: 'ASCII punctuation splits',
    },
    { input: '', expects: [], description: 'nothing' },
    { input: ' \t\n!?', expects: [], description: 'no letters' },
    { input: 'Olvidé mi CONTRASEÑA', expects: ['olvide', 'mi', 'contrasena'], description: 'accents folded' },
    { input: 'ﬁle ½ Ⅻ', expects: ['file', '1', '2', 'xii'], description: 'compatibility forms decomposed' },
    { input: 'Straße ΟΔΟΣ', expects: ['straße', 'οδος'], description: 'letters beyond ASCII kept' },
  ];
  for (const { input, expects, description } of cases)
    it(`${description}: ${JSON.stringify(input)}`, () => {
      expect(words(input)).to.deep.equal(expects);
      expect(words(input)).to.deep.equal(unicodeWords(input));
      expect(fold(input)).to.equal(
        input
          .normalize('NFKD')
          .replace(/\p{M}+/gu, '')
          .toLowerCase(),
      );
    });
});

describe('cachedTerms', () => {
  const texts: [string, 'es' | 'en'][] = [
    ['How do I reset my password? The password expired', 'en'],
    ['¿Cómo restablezco mi contraseña? La contraseña caducó', 'es'],
    ['the and of', 'en'],
    ['vpn 2fa wifi', 'en'],
  ];

  it("gives analyze.ts terms(): stopwords out, each word's stem, in order, each time", () => {
    for (const [text, lang] of texts) {
      expect(cachedTerms(text, lang)).to.deep.equal(terms(text, lang));
      expect(cachedTerms(text, lang)).to.deep.equal(terms(text, lang));
    }
    expect(cachedTerms('the and of', 'en')).to.deep.equal([]);
  });

  it('keeps a stopword of one language a word of the other', () => {
    expect(cachedTerms('con', 'es')).to.deep.equal([]);
    expect(cachedTerms('con', 'en')).to.deep.equal(['con']);
    expect(cachedTerms('the', 'es')).to.deep.equal(terms('the', 'es'));
  });

  it('gives the same terms after its bound empties it (a vocabulary past 100,000 words)', () => {
    const many = Array.from({ length: 100_500 }, (_, i) => `w${i.toString(36)}x`).join(' ');
    expect(cachedTerms(many, 'en')).to.deep.equal(terms(many, 'en'));
    for (const [text, lang] of texts) expect(cachedTerms(text, lang)).to.deep.equal(terms(text, lang));
  });
});
