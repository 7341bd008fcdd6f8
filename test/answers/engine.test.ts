import { expect } from 'chai';
import { AnswerEngine } from '../../core/answers/pipeline/answerEngine.ts';
import { buildIndex } from '../../core/indexing/buildIndex.ts';
import type { KbIndex } from '../../core/indexing/kbIndex.ts';
import { HashingEmbedder } from '../../core/search/hashingEmbedder.ts';
import { loadGloveWordVectors } from '../../core/search/gloveWordVectors.ts';

/** The engine's three outcomes on the sample KB, in both languages, as a fresh install runs it (word vectors installed). */
describe('AnswerEngine on the sample KB', () => {
  let index: KbIndex;
  let engine: AnswerEngine;
  before(async function () {
    this.timeout(60_000);
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

  const answers = [
    { question: 'olvidé mi contraseña', articleId: 'reset-password', lang: 'es' },
    { question: 'how do I set up the VPN?', articleId: 'vpn-setup-en', lang: 'en' },
    { question: 'quiero devolver unas botas', articleId: 'devoluciones', lang: 'es' },
    { question: 'my account is locked', articleId: 'account-locked-en', lang: 'en' },
  ];
  for (const c of answers) {
    it(`answers "${c.question}" with ${c.articleId}`, async () => {
      const r = await engine.answer({ question: c.question });
      expect(r.action).to.equal('answer');
      expect(r.answer!.article.id).to.equal(c.articleId);
      expect(r.lang).to.equal(c.lang);
      expect(r.answer!.confidence).to.be.within(0, 1);
    });
  }

  const offTopic = ['what is the capital of Mongolia?', '¿quién ganó el mundial de 1986?', 'recipe for banana bread'];
  for (const question of offTopic) {
    it(`sends "${question}" to a ticket`, async () => {
      expect((await engine.answer({ question })).action).to.equal('ticket');
    });
  }

  it('asks to clarify when a question fits two articles about equally', async () => {
    // Setting the VPN up, or a VPN that will not connect? A bare "vpn" does not say.
    const r = await engine.answer({ question: 'vpn' });
    expect(r.action).to.equal('clarify');
    expect(r.options.length).to.be.within(2, 3);
    expect(r.options.map((o) => o.article.id)).to.include.members(['vpn-setup-en', 'vpn-not-connecting-en']);
  });

  it("answers a question that does not say its language in the page's, through the translations link", async () => {
    const r = await engine.answer({ question: 'VPN setup', lang: 'es' });
    expect(r.lang).to.equal('es');
    expect(r.answer?.article.id).to.equal('configurar-vpn');
  });

  it("answers a clear sentence in its own language, whatever the page's", async () => {
    const r = await engine.answer({ question: 'olvidé mi contraseña', lang: 'en' });
    expect(r.lang).to.equal('es');
    expect(r.answer?.article.id).to.equal('reset-password');
  });

  it('takes a question too short to detect in the language whose articles use its words, else the site language', async () => {
    const jam = await engine.answer({ question: 'impresora atascada' });
    expect(jam.lang).to.equal('es');
    expect([jam.answer, ...jam.options].filter(Boolean).map((r) => r!.article.id)).to.include('atasco-papel');
    expect((await engine.answer({ question: 'factura' })).lang).to.equal('es');
    // "vpn" is a word of both languages: the site's language (en here) decides.
    expect((await engine.answer({ question: 'vpn' })).lang).to.equal('en');
    expect((await engine.answer({ question: 'vpn', conversationLang: 'es' })).lang).to.equal('es');
  });

  it('says so when the answer exists only in another language', async () => {
    const r = await engine.answer({ question: 'phishing email', lang: 'es' });
    expect(r.answer?.article.id).to.equal('phishing-report-en');
    expect(r.otherLanguage).to.equal(true);
  });

  it('never shows drafts, and shows internal articles only to allowed audiences', async () => {
    const draft = await engine.answer({ question: 'cancel my order' });
    expect(draft.ranked.map((r) => r.article.id)).to.not.include('cancel-order-en');
    const anon = await engine.answer({ question: 'how do I wipe a device remotely' });
    expect(anon.ranked.map((r) => r.article.id)).to.not.include('wipe-device-en');
    const staff = await engine.answer({
      question: 'how do I wipe a device remotely',
      audiences: ['public', 'internal'],
    });
    expect(staff.ranked[0]!.article.id).to.equal('wipe-device-en');
  });
});
