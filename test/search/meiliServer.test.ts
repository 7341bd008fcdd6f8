import { expect } from 'chai';
import { loadKnowledgeBase } from '../../core/articles/loadKb.ts';
import { searchDocumentOf } from '../../core/indexing/buildIndex.ts';
import { MiniSearchIndex } from '../../core/search/miniSearchIndex.ts';
import { startMeiliStub, type MeiliStub } from '../fakes/meiliStub.ts';
import { eventually } from '../helpers/eventually.ts';
import { FIXTURE_KB } from '../helpers/fixtureKb.ts';
import { getJson, postJson, startTestServer, type TestServer } from '../helpers/server.ts';

/**
 * The server with MEILI_HOST pointing at a local Meilisearch STUB whose
 * searches are answered by an in-process index of the same KB. What is
 * checked is the server's side: what it pushes, which key it searches with,
 * and that no request fails while Meilisearch dies and comes back.
 */
describe('Server with Meilisearch configured (local stub)', function () {
  let stub: MeiliStub;
  let server: TestServer;

  before(async () => {
    stub = await startMeiliStub();
    const kb = await loadKnowledgeBase(FIXTURE_KB, { defaultLang: 'en' });
    const engine = MiniSearchIndex.build(kb.articles.map(searchDocumentOf), kb.synonyms);
    stub.onSearch = async (_uid, body) => {
      if (!body.q) return [];
      const hits = await engine.search(body.q, {
        lang: body.locales?.[0] === 'spa' ? 'es' : 'en',
        filter: { publishedOnly: true, audiences: ['public'] },
        limit: body.limit ?? 20,
      });
      return hits.map((h) => ({ articleId: h.id, _rankingScore: h.score / (h.score + 8) }));
    };
    server = await startTestServer({
      env: {
        MEILI_HOST: stub.url,
        MEILI_API_KEY: 'ADMIN-KEY-0123456789',
        MEILI_TIMEOUT_MS: '500',
        MEILI_RETRY_MS: '50',
      },
    });
  });
  after(async () => {
    await server?.close();
    await stub?.close();
  });

  const health = async () => (await getJson(`${server.url}/healthz`)).body;
  const ask = (question: string) => postJson(`${server.url}/api/ask`, { question, lang: 'en' });
  const search = (q: string) => getJson(`${server.url}/api/search?q=${encodeURIComponent(q)}&lang=en`);
  const searches = () => stub.calls(/\/search$/).length;
  const until = (check: () => Promise<boolean>, what: string) =>
    eventually(check, { timeoutMs: 5_000, intervalMs: 25, what });

  it('pushes the KB at start and searches with a search-only key, never the admin key', async () => {
    expect(stub.indexes.get('deflect-articles')?.size).to.equal(server.core.index.get().articles.size);
    const created = stub.calls('/keys', 'POST')[0]!;
    expect(created.body).to.deep.include({ actions: ['search'], indexes: ['deflect-articles'], expiresAt: null });
    const searches = stub.calls(/\/search$/);
    expect(searches.length).to.be.greaterThan(0);
    for (const s of searches) expect(s.authorization).to.equal(`Bearer ${stub.keys[0]!.key}`);
    for (const r of stub.requests.filter((x) => !x.path.endsWith('/search')))
      expect(r.authorization).to.equal('Bearer ADMIN-KEY-0123456789');
  });

  it('searches through Meilisearch and says so in /healthz', async () => {
    const before = searches();
    const res = await search('reset my password');
    expect(res.status).to.equal(200);
    expect(res.body.hits[0]?.articleId).to.equal('reset-password-en');
    expect(searches()).to.be.greaterThan(before);
    expect((await ask('how do I reset my password')).body.answer?.articleId).to.equal('reset-password-en');
    const h = await health();
    expect(h.status).to.equal('ok');
    expect(h.index.fullText).to.equal('meilisearch');
    expect(h.index.search).to.deep.equal({ engine: 'meilisearch', state: 'ok' });
  });

  it('loses no request when Meilisearch dies mid-run, and reports degraded', async () => {
    const questions = [
      'how do I reset my password',
      'my account is locked',
      'set up the VPN',
      'add a printer',
      'download my invoice',
      'track my order',
    ];
    const results = [];
    for (let round = 0; round < 3; round++) {
      for (const [i, q] of questions.entries()) {
        if (round === 1 && i === 2) stub.mode = 'down';
        results.push(await ask(q), await search(q));
      }
    }
    expect(results.map((r) => r.status)).to.deep.equal(results.map(() => 200));
    // The same question gets the same answer from the in-process index.
    expect(results[results.length - 2 * questions.length]!.body.answer?.articleId).to.equal('reset-password-en');
    expect(results[results.length - 2 * questions.length + 1]!.body.hits[0]?.articleId).to.equal('reset-password-en');
    const h = await health();
    expect(h.status).to.equal('degraded');
    expect(h.index.search).to.include({ engine: 'meilisearch', state: 'degraded', fallback: 'in-process' });
    expect(JSON.stringify(h)).not.to.include('ADMIN-KEY');
  });

  it('answers concurrent requests while the connection drops under them', async () => {
    stub.mode = 'ok';
    await until(async () => (await health()).status === 'ok', 'Meilisearch is back');
    const pending = Array.from({ length: 12 }, (_, i) =>
      i % 2 ? ask('my account is locked') : search('set up the VPN'),
    );
    // Kill it as soon as the first answer is out, while the others are in flight.
    void pending[0]!.then(() => (stub.mode = 'down'));
    const results = await Promise.all(pending);
    expect(results.map((r) => r.status)).to.deep.equal(results.map(() => 200));
  });

  it('uses Meilisearch again once it is back, without a restart', async () => {
    stub.mode = 'ok';
    await until(async () => (await health()).status === 'ok', 'Meilisearch is back');
    const before = searches();
    expect((await search('add a printer')).status).to.equal(200);
    expect(searches()).to.be.greaterThan(before);
  });

  it('also falls back when Meilisearch accepts connections but never answers', async () => {
    stub.mode = 'hang';
    const res = await search('reset my password');
    expect(res.status).to.equal(200);
    expect(res.body.hits[0]?.articleId).to.equal('reset-password-en');
    expect((await health()).status).to.equal('degraded');
    stub.mode = 'ok';
  });
});

describe('Server started while Meilisearch is down', function () {
  it('starts degraded, answers from the in-process index, then catches Meilisearch up when it appears', async () => {
    const stub = await startMeiliStub();
    stub.mode = 'down';
    const server = await startTestServer({
      env: {
        MEILI_HOST: stub.url,
        MEILI_API_KEY: 'ADMIN-KEY-0123456789',
        MEILI_TIMEOUT_MS: '500',
        MEILI_RETRY_MS: '50',
      },
    });
    try {
      const health = async () => (await getJson(`${server.url}/healthz`)).body;
      expect((await health()).status).to.equal('degraded');
      const res = await getJson(`${server.url}/api/search?q=${encodeURIComponent('reset my password')}&lang=en`);
      expect(res.status).to.equal(200);
      expect(res.body.hits[0]?.articleId).to.equal('reset-password-en');
      stub.mode = 'ok';
      await eventually(async () => (await health()).status === 'ok', {
        timeoutMs: 5_000,
        intervalMs: 25,
        what: '/healthz to say ok',
      });
      expect(stub.indexes.get('deflect-articles')?.size).to.equal(server.core.index.get().articles.size);
    } finally {
      await server.close();
      await stub.close();
    }
  });
});

describe('Server without MEILI_HOST', () => {
  it('serves from the in-process index and reports no remote engine', async () => {
    const server = await startTestServer();
    try {
      const h = (await getJson(`${server.url}/healthz`)).body;
      expect(h.status).to.equal('ok');
      expect(h.index.fullText).to.equal('minisearch');
      expect(h.index).not.to.have.property('search');
    } finally {
      await server.close();
    }
  });
});
