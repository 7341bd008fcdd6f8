import { expect } from 'chai';
import { HashingEmbedder } from '../../core/search/hashingEmbedder.ts';

/** FNV-1a, as the embedder hashes a feature's string. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

describe('HashingEmbedder', () => {
  const embedder = new HashingEmbedder();
  const cases = [
    { text: 'How do I reset my password?', lang: 'en' as const, description: 'a question' },
    { text: 'Olvidé mi contraseña, contraseña otra vez', lang: 'es' as const, description: 'a word twice, accents' },
    { text: 'aaaa aaaa aaa', lang: 'en' as const, description: 'grams repeated within and across words' },
    { text: '', lang: 'en' as const, description: 'no words' },
    {
      text: 'fuzx 42ad',
      lang: 'en' as const,
      description: 'two grams with one hash ("fuzx", "42ad"), which must still count apart',
    },
  ];
  for (const c of cases)
    it(`embeds without a string per feature, bit for bit as with one (${c.description})`, () => {
      expect(Array.from(embedder.embedOne(c.text, c.lang))).to.deep.equal(
        Array.from(embedder.embedByStrings(c.text, c.lang)),
      );
    });

  it('has a real collision to check in the cases above', () => {
    expect(fnv1a('c:fuzx')).to.equal(fnv1a('c:42ad'));
  });

  it('gives unit vectors, the same for the same text however many texts came between', () => {
    const first = embedder.embedOne('refund not received', 'en');
    embedder.embedOne('a much longer text about deliveries, invoices and passwords', 'en');
    expect(Array.from(embedder.embedOne('refund not received', 'en'))).to.deep.equal(Array.from(first));
    expect(first.reduce((acc, x) => acc + x * x, 0)).to.be.closeTo(1, 1e-6);
  });
});
