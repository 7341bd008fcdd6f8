import { expect } from 'chai';
import { TermSpace } from '../../core/answers/lexical/termSpace.ts';
import { featureCodes, featureWeight } from '../../core/answers/lexical/textFeatures.ts';
import { words } from '../../core/text/analyze.ts';

const units = [
  { text: 'Reset your password', lang: 'en' as const, article: 0 },
  { text: 'I forgot my password, password reset please', lang: 'en' as const, article: 0 },
  { text: 'Restablecer la contraseña desde el portal', lang: 'es' as const, article: 1 },
  { text: 'El portal pide la contraseña otra vez', lang: 'es' as const, article: 1 },
];

describe('TermSpace.fit', () => {
  it('keeps the counts of the units asked for only, the same as counting their text again, in order of first use', () => {
    const { space, counts } = TermSpace.fit(units, 2, { keep: (i) => i % 2 === 1 });
    expect(counts[0]).to.equal(null);
    expect(counts[2]).to.equal(null);
    for (const i of [1, 3]) {
      const again = space.count(units[i]!.text, units[i]!.lang);
      expect([...counts[i]!]).to.deep.equal([...again.counts]);
      expect(again.unknownNorm2).to.equal(0);
    }
  });

  it('shows every unit its counts once, in order, as the kept maps hold them', () => {
    const all = TermSpace.fit(units, 2);
    const seen: [number, [number, number][]][] = [];
    TermSpace.fit(units, 2, {
      keep: () => false,
      visit: (i, ids, c, n) => seen.push([i, Array.from({ length: n }, (_, k) => [ids[k]!, c[k]!])]),
    });
    expect(seen.map(([i]) => i)).to.deep.equal([0, 1, 2, 3]);
    seen.forEach(([i, pairs]) => expect(pairs).to.deep.equal([...all.counts[i]!]));
    // "password" twice in one unit counts 2.
    expect(Math.max(...seen[1]![1].map(([, c]) => c))).to.be.at.least(2);
  });

  it('numbers the codes of the texts in order of first use, word by word, with the words given or split from the text', () => {
    // The same words in both languages (stemmed by each), and words repeated across units and within one.
    const mixed = [
      ...units,
      { text: 'Portal password: contraseña, portal, reset', lang: 'en' as const, article: 2 },
      { text: 'Contraseña del portal: reset password', lang: 'es' as const, article: 2 },
    ];
    const plain: number[] = [];
    const seen = new Set<number>();
    for (const u of mixed)
      for (const code of featureCodes(u.text, u.lang)) if (!seen.has(code) && seen.add(code)) plain.push(code);
    const fitted = TermSpace.fit(mixed, 3);
    expect([...fitted.space.parts().codes]).to.deep.equal(plain);
    const given = TermSpace.fit(
      mixed.map((u) => ({ ...u, words: words(u.text) })),
      3,
    );
    expect(given.space.parts()).to.deep.equal(fitted.space.parts());
    expect(given.counts.map((c) => [...c!])).to.deep.equal(fitted.counts.map((c) => [...c!]));
  });
});

describe('TermSpace.count', () => {
  const { space } = TermSpace.fit(units, 2);
  const cases = [
    { text: 'Reset my password', description: 'features the KB uses only' },
    { text: 'Reset my pasword on the zebra portal, zebra!', description: 'features the KB never uses, one twice' },
    { text: 'Olvidé la contraseña del portal', description: 'another language' },
  ];
  for (const c of cases)
    it(`counts a text split into words as the text itself (${c.description})`, () => {
      const lang = c.text.startsWith('Olvid') ? 'es' : 'en';
      const split = space.countWords(words(c.text), lang);
      const whole = space.count(c.text, lang);
      expect([...split.counts]).to.deep.equal([...whole.counts]);
      expect(split.unknownNorm2).to.equal(whole.unknownNorm2);
    });

  it('lengthens a vector by each feature the KB never uses, once per distinct code, codes from 2^31 on included', () => {
    const text = 'zebra quokka xylophone quokka';
    const codes = featureCodes(text, 'en').filter((code) => space.idOf(code) === undefined);
    expect(codes.some((code) => code >= 2 ** 31)).to.equal(true);
    const counts = new Map<number, number>();
    for (const code of codes) counts.set(code, (counts.get(code) ?? 0) + 1);
    const { unknownIdf } = space.parts();
    let expected = 0;
    for (const [code, c] of counts) expected += ((1 + Math.log(c)) * unknownIdf * featureWeight(code)) ** 2;
    expect(space.count(text, 'en').unknownNorm2).to.equal(expected);
  });
});
