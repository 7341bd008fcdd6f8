import { expect } from 'chai';
import { TermModel, type TermDoc } from '../../core/answers/lexical/termModel.ts';
import { textVector, WordNeighbours } from '../../core/answers/lexical/wordVectors.ts';
import type { WordVectors } from '../../core/search/ports.ts';

/** Hand-made 3-d "meanings": animals, money, and a direction only the word "the" has. */
const MEANINGS: Record<string, [number, number, number]> = {
  pets: [1, 0.1, 0],
  dog: [0.95, 0.05, 0.1],
  furry: [0.9, 0, 0.2],
  refund: [0, 1, 0],
  reimbursement: [0.05, 0.97, 0.1],
  money: [0.1, 0.9, 0.2],
  cash: [0.5, 0.55, 0.67], // cosine 0.55 to refund: near enough for a word the KB lacks, not for one it uses
  the: [0, 0, 1],
};

class TinyVectors implements WordVectors {
  readonly id = 'tiny';
  readonly lang = 'en' as const;
  readonly dimensions = 3;
  vector(word: string): Float32Array | null {
    const m = MEANINGS[word];
    if (!m) return null;
    const n = Math.hypot(...m);
    return Float32Array.from(m, (x) => x / n);
  }
  weight(word: string): number {
    return word === 'the' ? 0.01 : 1;
  }
}
const vectors = new TinyVectors();

describe('word vectors', () => {
  it('make a text one unit vector, frequent words counting least', () => {
    const v = textVector(vectors, ['the', 'dog'])!;
    expect(Math.hypot(...v)).to.be.closeTo(1, 1e-6);
    expect(v[0]).to.be.above(0.9); // "the" (weight 0.01) barely moves it off "dog"
    expect(textVector(vectors, ['zebra', 'quantum'])).to.equal(null);
  });

  it('find the KB words nearest in meaning, most similar first, above the minimum only', () => {
    const near = new WordNeighbours(vectors, ['pets', 'refund', 'money', 'unknownword'], { k: 2, minSimilarity: 0.8 });
    expect(near.of('reimbursement').map(([w]) => w)).to.deep.equal(['refund', 'money']);
    expect(near.of('dog').map(([w]) => w)).to.deep.equal(['pets']);
    expect(near.of('the')).to.deep.equal([]);
    expect(near.of('zebra')).to.deep.equal([]);
  });
});

describe('TermModel with word vectors', () => {
  const doc = (id: string, lang: 'en' | 'es', title: string, questions: string[]): TermDoc => ({
    id,
    lang,
    title,
    questions,
    passages: [],
  });
  const docs = [
    doc('pets', 'en', 'Pets at the office', ['can I bring my pets', 'are pets allowed at work', 'pets policy']),
    doc('refund', 'en', 'Refund not showing up', ['where is my refund', 'the refund is missing', 'refund status']),
    doc('mascotas', 'es', 'Mascotas en la oficina', [
      'puedo traer a mi perro',
      'se permiten mascotas',
      'normas de mascotas',
    ]),
  ];
  const lexical = TermModel.build(docs);
  const withVectors = TermModel.build(docs, { wordVectors: vectors });
  const everything = () => true;
  const pets = docs.findIndex((d) => d.id === 'pets');
  const refund = docs.findIndex((d) => d.id === 'refund');

  it('lets a question in words the KB never uses reach the article with the nearest words', () => {
    const question = 'can I bring my dog';
    const before = lexical.score(lexical.vectorize(question, 'en'), everything);
    const after = withVectors.score(withVectors.vectorize(question, 'en'), everything);
    expect(after.nearest[pets]).to.be.above(before.nearest[pets]!);
    expect(after.coverage[pets]).to.be.above(before.coverage[pets]!);
  });

  it('brings in near words for a word the KB never uses, and only close ones for a word it uses', () => {
    const refundCoverage = (model: TermModel) =>
      model.score(model.vectorize('cash', 'en'), everything).coverage[refund]!;
    expect(refundCoverage(withVectors)).to.be.above(0); // "cash" is not in this KB: refund (0.55) comes in
    const cashKb = [...docs, doc('cash', 'en', 'Paying in cash', ['can I pay cash at the desk'])];
    expect(refundCoverage(TermModel.build(cashKb, { wordVectors: vectors }))).to.equal(0);
  });

  it('gives the classifier the meaning of the question', () => {
    const s = withVectors.score(withVectors.vectorize('reimbursement', 'en'), everything);
    expect(s.probability[refund]).to.be.above(s.probability[pets]!);
    expect(withVectors.vectorize('reimbursement', 'en').meaning).to.not.equal(null);
  });

  it('leaves questions in other languages as the lexical model scores them', () => {
    const q = 'puedo traer a mi gato';
    expect(withVectors.vectorize(q, 'es').meaning).to.equal(null);
    const a = lexical.score(lexical.vectorize(q, 'es'), everything);
    const b = withVectors.score(withVectors.vectorize(q, 'es'), everything);
    expect(Array.from(b.nearest)).to.deep.equal(Array.from(a.nearest));
    expect(Array.from(b.centroid)).to.deep.equal(Array.from(a.centroid));
  });

  it('trains a different classifier from the lexical one, so a stored lexical classifier is not reused', () => {
    expect(withVectors.saveClassifier()!.fingerprint).to.not.equal(lexical.saveClassifier()!.fingerprint);
  });
});
