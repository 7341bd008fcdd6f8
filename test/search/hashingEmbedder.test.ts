import { expect } from 'chai';
import type { Lang } from '../../core/contracts/api.ts';
import { HashingEmbedder } from '../../core/search/hashingEmbedder.ts';
import { terms, words } from '../../core/text/analyze.ts';

/**
 * The hashing trick as written out: each stem ("w:") and each character 3- and 4-gram of a word padded with spaces
 * ("c:") counted, then, stems first and each in the order it first occurs, 1 + log(count) (grams times the char
 * weight) added in float32 at its hash's slot with its hash's sign, and the vector scaled to unit length. The
 * embedder caches each word's features; its vectors must stay these, bit for bit (snapshots are compared so).
 */
function reference(text: string, lang: Lang, dimensions: number, charWeight: number): Float32Array {
  const v = new Float32Array(dimensions);
  const counts = new Map<string, number>();
  for (const t of terms(text, lang)) counts.set(`w:${t}`, (counts.get(`w:${t}`) ?? 0) + 1);
  for (const w of words(text)) {
    const s = ` ${w} `;
    for (const n of [3, 4])
      for (let i = 0; i + n <= s.length; i++)
        counts.set(`c:${s.slice(i, i + n)}`, (counts.get(`c:${s.slice(i, i + n)}`) ?? 0) + 1);
  }
  for (const [feature, count] of counts) {
    let h = 0x811c9dc5;
    for (let i = 0; i < feature.length; i++) h = Math.imul(h ^ feature.charCodeAt(i), 0x01000193);
    h >>>= 0;
    const weight = (1 + Math.log(count)) * (feature.startsWith('c:') ? charWeight : 1);
    v[h % dimensions]! += (h & 0x80000000) !== 0 ? -weight : weight;
  }
  let norm = 0;
  for (const x of v) norm += x * x;
  norm = Math.sqrt(norm) || 1;
  return v.map((x) => x / norm);
}

const TEXTS: { text: string; lang: Lang }[] = [
  { text: 'How do I reset my password?', lang: 'en' },
  { text: '¿Cómo restablezco mi contraseña? Olvidé la contraseña del correo', lang: 'es' },
  { text: 'contrasena contraseña CONTRASEÑA passwrod password passwords', lang: 'es' },
  { text: 'aaaa aaaa aaaa bbbbbb 2fa 2FA vpn-client wi-fi', lang: 'en' },
  { text: `${'printer jam paper tray '.repeat(300)}toner`, lang: 'en' },
  { text: 'the a of to', lang: 'en' },
  { text: '', lang: 'es' },
  { text: 'Wi‑Fi 日本語 Ωmega naïve café', lang: 'en' },
  // Two grams with one hash ("c:fuzx", "c:42ad"): they must still count apart.
  { text: 'fuzx 42ad fuzx', lang: 'en' },
  // Words repeated apart, sharing stems and grams with the words between them: counted once each with their times.
  { text: 'passwords reset password the passwords, Password resetting the reset', lang: 'en' },
  { text: 'la contraseña de la cuenta, las contraseñas de las cuentas y la contraseña', lang: 'es' },
];

describe('HashingEmbedder', () => {
  it('has a real collision among the texts it checks', () => {
    const fnv1a = (t: string) => {
      let h = 0x811c9dc5;
      for (let i = 0; i < t.length; i++) h = Math.imul(h ^ t.charCodeAt(i), 0x01000193);
      return h >>> 0;
    };
    expect(fnv1a('c:fuzx')).to.equal(fnv1a('c:42ad'));
  });

  it('gives the hashing trick written out, bit for bit, however often its words were seen before', () => {
    const embedder = new HashingEmbedder(256, 0.5);
    for (const round of [1, 2])
      for (const { text, lang } of TEXTS)
        expect(Buffer.from(embedder.embedOne(text, lang).buffer), `${text} (${lang}, round ${round})`).to.deep.equal(
          Buffer.from(reference(text, lang, 256, 0.5).buffer),
        );
  });

  it('keeps a word stemmed per language: the same text embeds as each language has it', () => {
    const embedder = new HashingEmbedder(128, 0.25);
    const text = 'los usuarios configurando las impresoras';
    for (const lang of ['es', 'en', 'es'] as const)
      expect([...embedder.embedOne(text, lang)]).to.deep.equal([...reference(text, lang, 128, 0.25)]);
  });
});
