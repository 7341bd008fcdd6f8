import { expect } from 'chai';
import { chooseLanguage, languageTag } from '../../core/answers/language/chooseLanguage.ts';
import { AnswerEngine } from '../../core/answers/pipeline/answerEngine.ts';
import type { Article } from '../../core/articles/types.ts';
import { loadKnowledgeBase } from '../../core/articles/loadKb.ts';
import type { Lang } from '../../core/contracts/api.ts';
import { buildIndex } from '../../core/indexing/buildIndex.ts';
import type { KbIndex } from '../../core/indexing/kbIndex.ts';
import { HashingEmbedder } from '../../core/search/hashingEmbedder.ts';

/**
 * The fixture KB: "Reset your password" and "Set up the VPN" in both languages,
 * "Report a phishing e-mail" in English only, "Descargar una factura" in Spanish only.
 */
const KB = 'test/fixtures/language-kb';

/** Which language we answer a person in: one rule (core/answers/language/chooseLanguage.ts) for the API, the search and the bot. */
describe('chooseLanguage', () => {
  let articles: ReadonlyMap<string, Article>;
  before(async () => {
    articles = new Map((await loadKnowledgeBase(KB, { defaultLang: 'en' })).articles.map((a) => [a.id, a]));
  });

  const cases: { text: string; page?: string; conversation?: Lang; expected: Lang; why: string }[] = [
    { text: 'olvidé mi contraseña', page: 'en', expected: 'es', why: 'a clear Spanish sentence overrides the page' },
    {
      text: 'olvide mi contrasena',
      page: 'en',
      expected: 'es',
      why: 'typed without accents, still clear: "mi" and words only the Spanish articles use',
    },
    {
      text: 'how do I reset my password',
      page: 'es',
      expected: 'en',
      why: 'a clear English sentence overrides the page',
    },
    {
      text: 'olvidé mi contraseña',
      page: 'en',
      conversation: 'en',
      expected: 'es',
      why: 'and overrides the conversation: the conversation follows the person',
    },
    { text: 'vpn', page: 'en', expected: 'en', why: 'a word of both languages keeps the page language' },
    { text: 'vpn', page: 'es', expected: 'es', why: 'on either page' },
    {
      text: 'vpn',
      page: 'en',
      conversation: 'es',
      expected: 'es',
      why: 'an ambiguous question stays in the conversation language',
    },
    { text: 'wifi', page: 'es', expected: 'es', why: 'a word of no language keeps the page language' },
    { text: 'ok', page: 'es', expected: 'es', why: 'so does "ok"' },
    { text: 'ERR-4021', page: 'es', expected: 'es', why: 'so does a code' },
    { text: 'Outlook', page: 'es', expected: 'es', why: 'so does a product name' },
    { text: 'Café Wifi', page: 'en', expected: 'en', why: 'one accented word is a name, not a sentence' },
    { text: 'factura', page: 'en', expected: 'en', why: 'one word of one language is not sure: the page decides' },
    { text: 'password', page: 'es', expected: 'es', why: 'likewise in English' },
    { text: 'my vpn', page: 'es', expected: 'es', why: 'one stopword is not sure either' },
    { text: 'factura', expected: 'es', why: 'no page, no conversation: the language whose articles use the word' },
    { text: 'vpn', expected: 'en', why: 'nothing at all: the site default' },
    { text: 'my vpn', conversation: 'es', expected: 'es', why: 'a weak clue does not move the conversation' },
    { text: 'my vpn', expected: 'en', why: 'but decides when nothing else does' },
    { text: '', page: 'en-GB', conversation: 'es', expected: 'es', why: 'no text (a pick): the conversation first' },
    { text: '', page: 'es-ES', expected: 'es', why: 'then the page or the channel locale' },
  ];
  for (const c of cases) {
    it(`"${c.text}", page ${c.page ?? '–'}, conversation ${c.conversation ?? '–'} → ${c.expected}: ${c.why}`, () => {
      expect(
        chooseLanguage(
          { text: c.text, requested: c.page, conversation: c.conversation },
          { articles, defaultLang: 'en' },
        ),
      ).to.equal(c.expected);
    });
  }

  it('reads a word the same the second time, and a KB’s words for that KB only', () => {
    const clues = { text: 'olvide mi contrasena factura' };
    const first = chooseLanguage(clues, { articles, defaultLang: 'en' });
    expect(chooseLanguage(clues, { articles, defaultLang: 'en' }))
      .to.equal(first)
      .and.to.equal('es');
    // Without this KB's articles, "contrasena" and "factura" have no language of their own: one stopword is not sure.
    expect(chooseLanguage({ ...clues, requested: 'en' }, { defaultLang: 'en' })).to.equal('en');
    expect(chooseLanguage({ ...clues, requested: 'en' }, { articles, defaultLang: 'en' })).to.equal('es');
  });

  for (const { tag, lang } of [
    { tag: 'es', lang: 'es' },
    { tag: 'es-ES', lang: 'es' },
    { tag: 'es-419', lang: 'es' },
    { tag: 'en-US', lang: 'en' },
    { tag: 'EN-gb', lang: 'en' },
    { tag: 'fr-FR', lang: undefined },
    { tag: undefined, lang: undefined },
  ]) {
    it(`reads the page or locale tag ${tag} as ${lang ?? 'no language (text and conversation decide)'}`, () => {
      expect(languageTag(tag)).to.equal(lang);
    });
  }
});

/** The same rule inside the engine: it retrieves (stems) in the chosen language and shows that translation. */
describe('AnswerEngine: the language answered and the article shown', function () {
  this.timeout(60_000);
  let engine: AnswerEngine;
  before(async () => {
    const index: KbIndex = (await buildIndex({ kbDir: KB, embedder: new HashingEmbedder(), defaultLang: 'en' })).index;
    engine = new AnswerEngine(() => index, { defaultLang: 'en' });
  });

  const cases: {
    question: string;
    page?: string;
    conversation?: Lang;
    lang: Lang;
    shown: string;
    otherLanguage?: boolean;
    why: string;
  }[] = [
    {
      question: 'olvidé mi contraseña',
      page: 'en',
      lang: 'es',
      shown: 'restablecer-contrasena',
      why: 'Spanish on an English page, translated: the Spanish article',
    },
    {
      question: 'how do I reset my password',
      page: 'es',
      lang: 'en',
      shown: 'reset-password-en',
      why: 'English on a Spanish page: the English article',
    },
    {
      question: 'I forgot my password',
      page: 'es',
      conversation: 'es',
      lang: 'en',
      shown: 'reset-password-en',
      why: 'a clear sentence moves a Spanish conversation to English',
    },
    {
      question: 'vpn',
      page: 'es',
      lang: 'es',
      shown: 'configurar-vpn',
      why: 'an ambiguous word on a Spanish page: the Spanish translation',
    },
    {
      question: 'vpn',
      page: 'en',
      conversation: 'es',
      lang: 'es',
      shown: 'configurar-vpn',
      why: 'an ambiguous word in a Spanish conversation: still Spanish',
    },
    {
      question: 'password',
      page: 'es',
      lang: 'es',
      shown: 'restablecer-contrasena',
      why: 'an English word on a Spanish page: the page decides, the translation is shown',
    },
    {
      question: '¿cómo denuncio un correo de phishing que me llegó?',
      page: 'en',
      lang: 'es',
      shown: 'phishing-report-en',
      why: 'no Spanish translation: the English article, in a Spanish reply',
    },
    {
      question: 'factura',
      page: 'en',
      lang: 'en',
      shown: 'factura',
      otherLanguage: true,
      why: 'a lone Spanish word on an English page: the page decides; the article exists in Spanish only',
    },
  ];
  for (const c of cases) {
    it(`"${c.question}", page ${c.page ?? '–'}, conversation ${c.conversation ?? '–'} → ${c.lang}, ${c.shown}: ${c.why}`, async () => {
      const r = await engine.answer({ question: c.question, lang: c.page, conversationLang: c.conversation });
      expect(r.lang).to.equal(c.lang);
      expect(r.ranked[0]?.article.id).to.equal(c.shown);
      if (c.otherLanguage !== undefined) expect(r.otherLanguage).to.equal(c.otherLanguage);
    });
  }

  it('retrieves with the chosen language: a Spanish question on an English page is stemmed as Spanish', async () => {
    // "configuro" only reaches "configurar" through the Spanish stemmer.
    const r = await engine.answer({ question: '¿cómo configuro la VPN en mi portátil?', lang: 'en' });
    expect(r.lang).to.equal('es');
    expect(r.action).to.equal('answer');
    expect(r.answer?.article.id).to.equal('configurar-vpn');
  });

  it('a pick stays in the conversation language: the title picked says nothing about the person', () => {
    const r = engine.pick('vpn-setup-en', { question: 'Set up the VPN', lang: 'en', conversationLang: 'es' }, 0.7);
    expect(r.lang).to.equal('es');
    expect(r.answer?.article.id).to.equal('configurar-vpn');
  });
});
