import { expect } from 'chai';
import { TermModel, type TermDoc } from '../../core/answers/lexical/termModel.ts';

const doc = (id: string, title: string, questions: string[], passages: string[] = []): TermDoc => ({
  id,
  lang: 'en',
  title,
  questions,
  passages,
});
const docs = [
  doc('card-arrival', 'Card arrival', ['my card has not arrived yet', 'when will my new card arrive']),
  doc('card-pin', 'Change the card PIN', ['how do I change my PIN', 'I forgot the PIN of my card', 'set a new PIN']),
  doc('refund', 'Refund not showing up', ['where is my refund', 'the refund is missing from my account']),
];
const everything = () => true;
const best = (m: TermModel, scores: Float32Array) => m.ids[scores.indexOf(Math.max(...scores))];
const FIELDS = ['nearest', 'second', 'centroid', 'coverage', 'bm25', 'probability'] as const;

describe('TermModel.withArticles (watch mode: articles scored beside the fitted model)', () => {
  const model = TermModel.build(docs);
  const rooftop = doc('rooftop', 'Book the rooftop terrace', ['how do I book the rooftop terrace']);

  it('scores an added article, with words no fitted article uses, as its best match', () => {
    const next = model.withArticles([rooftop], new Set());
    expect(next.ids).to.deep.equal([...model.ids, 'rooftop']);
    const s = next.score(next.vectorize('how do I book the rooftop terrace', 'en'), everything);
    for (const field of FIELDS) expect(best(next, s[field]), field).to.equal('rooftop');
    expect(s.nearest[3]).to.be.closeTo(1, 1e-5);
  });

  it('leaves every other article’s evidence exactly as the fitted model gives it', () => {
    const next = model.withArticles([rooftop], new Set(['refund']));
    for (const question of ['my card has not arrived', 'how do I book the rooftop terrace', 'refund missing']) {
      const before = model.score(model.vectorize(question, 'en'), everything);
      const after = next.score(next.vectorize(question, 'en'), everything);
      for (const field of FIELDS)
        for (const a of [0, 1]) expect(after[field][a], `${question}: ${field}`).to.equal(before[field][a]);
    }
  });

  it('scores an edited article by its new text only', () => {
    const edited = doc('card-pin', 'Freeze your card', ['how do I freeze my card temporarily']);
    const next = model.withArticles([edited], new Set());
    expect(next.ids).to.deep.equal(model.ids);
    const pin = next.ids.indexOf('card-pin');
    const old = next.score(next.vectorize('set a new PIN', 'en'), everything);
    expect(old.nearest[pin]).to.be.lessThan(0.5);
    const fresh = next.score(next.vectorize('how do I freeze my card temporarily', 'en'), everything);
    expect(best(next, fresh.nearest)).to.equal('card-pin');
    expect(fresh.nearest[pin]).to.be.closeTo(1, 1e-5);
  });

  it('no longer matches the phrasings of a removed article', () => {
    const next = model.withArticles([], new Set(['refund']));
    const s = next.score(next.vectorize('where is my refund', 'en'), everything);
    expect(s.nearest[next.ids.indexOf('refund')]).to.equal(0);
  });
});
