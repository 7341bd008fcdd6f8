import { expect } from 'chai';
import { identityHash } from '../../core/identity/verifyUser.ts';
import { buildArticle, writeKb } from '../helpers/articles.ts';
import { getJson, postJson, startTestServer, type TestServer } from '../helpers/server.ts';
import { tempDir } from '../helpers/tempDir.ts';

const SECRET = 'test-identity-secret-0123456789';

/** Internal articles are read through answers only: no page, no link, no id in what the public sees. */
describe('internal articles have no public page', function () {
  this.timeout(60_000);
  const kb = tempDir();
  let s: TestServer;
  const staff = { id: 'u-42', hash: identityHash(SECRET, 'u-42') };

  before(async () => {
    writeKb(kb.dir, {
      'printer-en.md': buildArticle(
        {
          id: 'printer-en',
          title: 'Add a printer',
          questions: ['how do I add a printer?'],
          answer: 'Open Settings, Printers, Add.',
          translations: { es: 'impresora-es' },
        },
        '# Add a printer\n\nOpen Settings.\n',
      ),
      'impresora-es.md': buildArticle(
        {
          id: 'impresora-es',
          lang: 'es',
          title: 'Añadir una impresora (equipo de TI)',
          questions: ['¿cómo añado una impresora?'],
          answer: 'Consola de impresión, Añadir.',
          audience: 'internal',
          translations: { en: 'printer-en' },
        },
        '# Añadir una impresora\n\nConsola.\n',
      ),
      'wipe-en.md': buildArticle(
        {
          id: 'wipe-en',
          title: 'Wipe a lost laptop',
          questions: ['how do I wipe a lost laptop remotely?'],
          answer: 'Intune console, Devices, Wipe.',
          audience: 'internal',
        },
        '# Wipe a lost laptop\n\nIntune.\n',
      ),
    });
    s = await startTestServer({ kbDir: kb.dir, env: { IDENTITY_SECRET: SECRET } });
  });
  after(async () => {
    await s.close();
    kb.cleanup();
  });

  it("answers a verified user with an internal article's answer and no link (its page would be a 404)", async () => {
    const r = await postJson(`${s.url}/api/ask`, { question: 'how do I wipe a lost laptop remotely?', user: staff });
    expect(r.body.answer).to.include({ articleId: 'wipe-en', url: null });
    expect(r.body.answer.text).to.equal('Intune console, Devices, Wipe.');
    expect((await getJson(`${s.url}/api/articles/wipe-en`)).status).to.equal(404);
  });

  it("links a public article's answer to its page", async () => {
    const r = await postJson(`${s.url}/api/ask`, { question: 'how do I add a printer?' });
    expect(r.body.answer).to.include({ articleId: 'printer-en', url: '/articles/printer-en' });
    expect((await fetch(`${s.url}${r.body.answer.url}`)).status).to.equal(200);
  });

  it('names no internal translation on a public article, in the API or on its page', async () => {
    const api = await getJson(`${s.url}/api/articles/printer-en`);
    expect(api.body.translations).to.deep.equal({});
    const page = await (await fetch(`${s.url}/articles/printer-en`)).text();
    expect(page).to.contain('<h1>Add a printer</h1>');
    expect(page).to.not.contain('impresora-es');
  });
});
