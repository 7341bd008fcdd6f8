import { expect } from 'chai';
import { AnswerEngine } from '../../core/answers/pipeline/answerEngine.ts';
import { buildIndex } from '../../core/indexing/buildIndex.ts';
import type { KbIndex } from '../../core/indexing/kbIndex.ts';
import { HashingEmbedder } from '../../core/search/hashingEmbedder.ts';
import { loadGloveWordVectors } from '../../core/search/gloveWordVectors.ts';

describe('the answer engine on the sample KB', function () {
  this.timeout(60000);
  let index: KbIndex;
  let engine: AnswerEngine;

  before(async () => {
    index = (
      await buildIndex({
        kbDir: 'kb-content',
        embedder: new HashingEmbedder(),
        wordVectors: await loadGloveWordVectors(),
        defaultLang: 'en',
      })
    ).index;
    engine = new AnswerEngine(() => index, { defaultLang: 'en' });
  });

  const cases = [
    {
      question: 'olvidé mi contraseña',
      action: 'answer',
      articleId: 'reset-password',
      description: 'Spanish, with accents',
    },
    {
      question: 'olvide mi contrasena',
      action: 'answer',
      articleId: 'reset-password',
      description: 'Spanish typed without accents',
    },
    { question: 'how do I set up the VPN?', action: 'answer', articleId: 'vpn-setup-en', description: 'English' },
    {
      question: 'how do I set up the VPN conection?',
      action: 'answer',
      articleId: 'vpn-setup-en',
      description: 'a typo in the key word',
    },
    {
      question: 'what is the capital of Mongolia?',
      action: 'ticket',
      articleId: undefined,
      description: 'nothing in the KB',
    },
    { question: '', action: 'ticket', articleId: undefined, description: 'an empty question' },
  ];
  for (const c of cases) {
    it(`${c.action}s "${c.question}" (${c.description})`, async () => {
      const result = await engine.answer({ question: c.question });
      expect(result.action).to.equal(c.action);
      expect(result.answer?.article.id).to.equal(c.articleId);
    });
  }

  it('calibrates on the KB itself when indexing', () => {
    const { calibration } = index.manifest;
    expect(calibration.version).to.equal(2);
    expect(calibration.samples).to.be.greaterThan(30);
    expect(calibration.orphanScores).to.not.be.empty;
  });

  it('never gives a runner-up more confidence than the best article', async () => {
    for (const question of ['wifi', 'printer', 'how do I set up the VPN?', 'what is the capital of Mongolia?']) {
      const { ranked } = await engine.answer({ question });
      for (const r of ranked.slice(1)) expect(r.confidence, question).to.be.at.most(ranked[0]!.confidence);
    }
  });
});
