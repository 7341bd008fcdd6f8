import { expect } from 'chai';
import { fitLogistic, predict } from '../../core/answers/learners/logistic.ts';
import { logits, trainSoftmax, type SoftmaxModel } from '../../core/answers/learners/softmaxRegression.ts';
import { TermModel, type TermDoc } from '../../core/answers/lexical/termModel.ts';

const doc = (id: string, title: string, questions: string[], passages: string[] = []): TermDoc => ({
  id,
  lang: 'en',
  title,
  questions,
  passages,
});
const docs = [
  doc('card-arrival', 'Card arrival', [
    'my card has not arrived yet',
    'when will my new card arrive',
    'still waiting for the card in the post',
  ]),
  doc('card-pin', 'Change the card PIN', ['how do I change my PIN', 'I forgot the PIN of my card', 'set a new PIN']),
  doc('refund', 'Refund not showing up', [
    'where is my refund',
    'the refund is missing from my account',
    'I returned an item but got no money back',
  ]),
  doc(
    'handbook',
    'Travel expenses',
    [],
    ['Keep every receipt and file the expense report within thirty days of your return.'],
  ),
];
const everything = () => true;
const best = (scores: Float32Array) => scores.indexOf(Math.max(...scores));

describe('TermModel', () => {
  const model = TermModel.build(docs);

  it('ranks the article whose phrasings match the question', () => {
    const s = model.score(model.vectorize('my new card has still not arrived', 'en'), everything);
    expect(model.ids[best(s.nearest)]).to.equal('card-arrival');
    expect(model.ids[best(s.probability)]).to.equal('card-arrival');
  });

  it('tolerates typos through character grams', () => {
    const s = model.score(model.vectorize('refnud missin', 'en'), everything);
    expect(model.ids[best(s.centroid)]).to.equal('refund');
  });

  it('matches body passages of an article that lists few questions', () => {
    const s = model.score(model.vectorize('deadline for the expense report', 'en'), everything);
    expect(model.ids[best(s.nearest)]).to.equal('handbook');
  });

  it('scores a phrasing left out as if the KB did not have it', () => {
    const unit = Array.from(model.units).findIndex((u) => u.text === 'set a new PIN');
    const q = model.vectorize('set a new PIN', 'en');
    const withIt = model.score(q, everything);
    const without = model.score(q, everything, unit);
    const pin = model.ids.indexOf('card-pin');
    expect(withIt.nearest[pin]).to.be.closeTo(1, 1e-5);
    expect(without.nearest[pin]).to.be.below(withIt.nearest[pin]!);
    expect(without.centroid[pin]).to.be.below(withIt.centroid[pin]!);
    expect(without.bm25[pin]).to.be.below(withIt.bm25[pin]!);
  });

  it('gives excluded articles nothing, and the classifier spreads its probability over the rest', () => {
    const pin = model.ids.indexOf('card-pin');
    const s = model.score(model.vectorize('how do I change my PIN', 'en'), (a) => a !== pin);
    expect(s.nearest[pin]).to.equal(0);
    expect(s.probability[pin]).to.equal(0);
    expect(s.probability.reduce((a, b) => a + b, 0)).to.be.closeTo(1, 1e-5);
  });

  it('lets words the KB never uses dilute every match', () => {
    const plain = model.score(model.vectorize('where is my refund', 'en'), everything);
    const padded = model.score(model.vectorize('where is my refund zebra quantum volcano', 'en'), everything);
    const refund = model.ids.indexOf('refund');
    expect(padded.nearest[refund]).to.be.below(plain.nearest[refund]!);
  });

  it('adds synonym stems at reduced weight', () => {
    const refund = model.ids.indexOf('refund');
    const without = model.score(model.vectorize('reimbursement please', 'en'), everything);
    const withSynonym = model.score(model.vectorize('reimbursement please', 'en', ['refund']), everything);
    expect(withSynonym.nearest[refund]).to.be.above(without.nearest[refund]!);
  });
});

describe('trainSoftmax', () => {
  const x = (ids: number[]) => ({
    ids: Int32Array.from(ids),
    w: Float32Array.from(ids, () => 1 / Math.sqrt(ids.length)),
  });
  const examples = [
    { x: x([0, 1]), y: 0 },
    { x: x([0, 2]), y: 0 },
    { x: x([3, 4]), y: 1 },
    { x: x([3, 5]), y: 1 },
  ];

  it('is deterministic: the same data gives the same weights', () => {
    expect(trainSoftmax(examples, 2, 6).weights).to.deep.equal(trainSoftmax(examples, 2, 6).weights);
  });

  it('drops the rarest features beyond its size budget', () => {
    const m = trainSoftmax(examples, 2, 6, { maxCells: 4 });
    expect([...m.rowOf].filter((r) => r >= 0)).to.have.length(2);
    expect(m.rowOf[0]).to.be.at.least(0);
    expect(m.rowOf[3]).to.be.at.least(0);
  });

  it('learns from a dense block beside the sparse features, outside the size budget, and with a shortlist of classes', () => {
    // One shared sparse feature says nothing; the dense block tells the classes apart.
    const dense = (a: number, b: number) => ({
      ids: Int32Array.of(0),
      w: Float32Array.of(1),
      dense: Float32Array.of(a, b),
    });
    const data = [
      { x: dense(1, 0), y: 0, shortlist: Int32Array.of(0, 1) },
      { x: dense(0.9, 0.1), y: 0, shortlist: Int32Array.of(0, 1) },
      { x: dense(0, 1), y: 1, shortlist: Int32Array.of(1, 0) },
      { x: dense(0.1, 0.9), y: 1, shortlist: Int32Array.of(1, 0) },
    ];
    for (const examples of [data, data.map(({ x, y }) => ({ x, y }))]) {
      const m = trainSoftmax(examples, 3, 1, { maxCells: 3 });
      expect(m.denseWeights).to.have.length(6);
      const z = logits(m, dense(0.8, 0.2), new Float64Array(3));
      expect(z[0]).to.be.above(z[1]!);
      expect(logits(m, dense(0.2, 0.8), new Float64Array(3))[1]).to.be.above(
        logits(m, dense(0.2, 0.8), new Float64Array(3))[0]!,
      );
    }
  });
});

describe('logits', () => {
  it('gives every class the same score, to the last bit, as adding row after row and then the dense block', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1;
    const classes = 11; // not a multiple of the four classes summed side by side
    const D = 5;
    const rowOf = Int32Array.of(0, -1, 1, 2);
    const model: SoftmaxModel = {
      classes,
      rowOf,
      weights: Float32Array.from({ length: 3 * classes }, random),
      denseWeights: Float32Array.from({ length: classes * D }, random),
    };
    const x = {
      ids: Int32Array.of(2, 0, 1, 3, 9),
      w: Float32Array.from({ length: 5 }, random),
      dense: Float32Array.from({ length: D }, random),
    };
    const expected = new Float64Array(classes);
    for (let k = 0; k < x.ids.length; k++) {
      const r = x.ids[k]! < rowOf.length ? rowOf[x.ids[k]!]! : -1;
      if (r >= 0) for (let c = 0; c < classes; c++) expected[c]! += model.weights[r * classes + c]! * x.w[k]!;
    }
    for (let c = 0; c < classes; c++) {
      let s = 0;
      for (let d = 0; d < D; d++) s += model.denseWeights[c * D + d]! * x.dense[d]!;
      expected[c]! += s;
    }
    expect([...logits(model, x, new Float64Array(classes).fill(99))]).to.deep.equal([...expected]);
  });
});

describe('fitLogistic', () => {
  it('stays at the prior with no data, and moves towards the data with plenty', () => {
    expect(fitLogistic([], [], [-1, 2], 1)).to.deep.equal([-1, 2]);
    const X = Array.from({ length: 200 }, (_, i) => [1, i / 200]);
    const y = X.map(([, s]) => (s! > 0.5 ? 1 : 0));
    const w = fitLogistic(X, y, [0, 0], 0.01);
    expect(predict(w, [1, 0.9])).to.be.above(0.9);
    expect(predict(w, [1, 0.1])).to.be.below(0.1);
  });
});
