import { expect } from 'chai';
import { fold, words } from '../../core/text/analyze.ts';

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
