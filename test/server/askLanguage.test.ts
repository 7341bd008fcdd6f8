import { expect } from 'chai';
import { getJson, postJson, startTestServer, type TestServer } from '../helpers/server.ts';

/**
 * The language of the reply through the HTTP API, on the fixture KB (reset
 * password and VPN in both languages). The widget sends the page's language
 * as `lang`; the question's own language wins when it is clear.
 */
describe('HTTP API: the language of the reply', function () {
  this.timeout(60_000);
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ kbDir: 'test/fixtures/language-kb' });
  });
  after(async () => {
    await s?.close();
  });

  it('answers "olvidé mi contraseña" asked on an English page with the Spanish article, in Spanish', async () => {
    const r = await postJson(`${s.url}/api/ask`, { question: 'olvidé mi contraseña', lang: 'en' });
    expect(r.status).to.equal(200);
    expect(r.body.action).to.equal('answer');
    expect(r.body.lang).to.equal('es');
    expect(r.body.answer).to.include({
      articleId: 'restablecer-contrasena',
      title: 'Restablecer la contraseña',
      lang: 'es',
    });
    expect(r.body).not.to.have.property('notice');
  });

  it('then keeps the conversation in Spanish: an ambiguous question, the feedback and the record', async () => {
    const first = await postJson(`${s.url}/api/ask`, { question: 'olvidé mi contraseña', lang: 'en' });
    const conversationId = first.body.conversationId;
    const vpn = await postJson(`${s.url}/api/ask`, { question: 'vpn', lang: 'en', conversationId });
    expect(vpn.body.lang).to.equal('es');
    expect(vpn.body.answer?.articleId ?? vpn.body.suggestions[0]?.articleId).to.equal('configurar-vpn');
    const feedback = await postJson(`${s.url}/api/feedback`, {
      conversationId,
      articleId: 'configurar-vpn',
      helpful: true,
    });
    expect(feedback.body.lang).to.equal('es');
    expect((await s.core.conversations.get(conversationId))!.lang).to.equal('es');
  });

  it('keeps the page language for a question that does not say its own', async () => {
    const r = await postJson(`${s.url}/api/ask`, { question: 'vpn', lang: 'en' });
    expect(r.body.lang).to.equal('en');
    expect(r.body.answer?.articleId ?? r.body.suggestions[0]?.articleId).to.equal('vpn-setup-en');
  });

  it('suggests Spanish articles while a Spanish question is typed on an English page', async () => {
    const r = await getJson(`${s.url}/api/search?q=${encodeURIComponent('olvidé mi contraseña')}&lang=en&limit=5`);
    expect(r.status).to.equal(200);
    expect(r.body.hits[0]).to.include({ articleId: 'restablecer-contrasena', lang: 'es' });
  });
});
