import { expect } from 'chai';
import { Meilisearch } from 'meilisearch';
import { buildIndex } from '../../core/indexing/buildIndex.ts';
import { meiliPayloadOf, publishToMeili, pushToMeili } from '../../core/indexing/publishMeili.ts';
import { ValidationError } from '../../core/errors.ts';
import { FIXTURE_KB } from '../helpers/fixtureKb.ts';
import { tempDir } from '../helpers/tempDir.ts';
import { meiliDocument, meiliKey, meiliSettings, synonymMap } from '../../core/search/meiliDocuments.ts';
import { MeiliFullTextIndex } from '../../core/search/meiliFullTextIndex.ts';
import { MeiliTaskError } from '../../core/search/meiliTasks.ts';
import type { SearchDocument } from '../../core/search/ports.ts';
import { HashingEmbedder } from '../../core/search/hashingEmbedder.ts';
import { startMeiliStub, type MeiliStub } from '../fakes/meiliStub.ts';

/**
 * Protocol tests: the exact requests the adapter sends, checked against a
 * local HTTP STUB of the Meilisearch API. They pin down our side of the wire;
 * whether Meilisearch answers well is the contract suite's job against a real
 * server (meili.contract.int.test.ts).
 */
const doc = (id: string, overrides: Partial<SearchDocument> = {}): SearchDocument => ({
  id,
  lang: 'en',
  title: `Title of ${id}`,
  questions: [`how about ${id}`],
  headings: ['Steps'],
  body: `Body of ${id}`,
  tags: ['t'],
  status: 'published',
  audience: 'public',
  ...overrides,
});

describe('Meilisearch adapter: protocol (against a local stub)', () => {
  let stub: MeiliStub;
  let admin: Meilisearch;
  const opts = { index: 'kb', taskTimeoutMs: 5000 };

  beforeEach(async () => {
    stub = await startMeiliStub();
    admin = new Meilisearch({ host: stub.url, apiKey: 'ADMIN-KEY' });
  });
  afterEach(() => stub.close());

  it('builds a first index beside the live name and swaps it in, awaiting every task', async () => {
    const docs = ['a', 'b', 'c'].map((id) => meiliDocument(doc(id), 'h1'));
    const summary = await publishToMeili(admin, docs, meiliSettings([]), { ...opts, batchSize: 2 });
    expect(summary).to.deep.include({ mode: 'rebuild', added: 3 });
    const writes = stub.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`);
    expect(writes).to.deep.equal([
      'DELETE /indexes/kb-next',
      'POST /indexes',
      'PATCH /indexes/kb-next/settings',
      'POST /indexes/kb-next/documents',
      'POST /indexes/kb-next/documents',
      'POST /indexes',
      'POST /swap-indexes',
      'DELETE /indexes/kb-next',
    ]);
    expect(stub.calls('/indexes/kb-next/documents', 'POST').map((r) => r.body.length)).to.deep.equal([2, 1]);
    expect(stub.calls('/swap-indexes')[0]!.body).to.deep.equal([{ indexes: ['kb', 'kb-next'], rename: false }]);
    // Each write is followed by a wait on its task before the next write goes out.
    const seq = stub.requests.map((r) =>
      r.method === 'GET' && r.path.startsWith('/tasks/') ? 'wait' : r.method === 'GET' ? 'read' : 'write',
    );
    for (let i = 0; i < seq.length; i++)
      if (seq[i] === 'write') expect(seq[i + 1], `request ${i + 1}`).to.equal('wait');
    expect(stub.indexes.get('kb')?.size).to.equal(3);
    expect(stub.requests.every((r) => r.authorization === 'Bearer ADMIN-KEY')).to.equal(true);
  });

  it('then sends only what changed: new and edited documents, then deletions', async () => {
    await publishToMeili(
      admin,
      ['a', 'b', 'c'].map((id) => meiliDocument(doc(id), 'h1')),
      meiliSettings([]),
      opts,
    );
    stub.requests.length = 0;
    const next = [
      meiliDocument(doc('a'), 'h1'),
      meiliDocument(doc('b', { title: 'edited' }), 'h2'),
      meiliDocument(doc('d'), 'h1'),
    ];
    const summary = await publishToMeili(admin, next, meiliSettings([]), opts);
    expect(summary).to.deep.equal({ mode: 'incremental', added: 1, updated: 1, deleted: 1, unchanged: 1 });
    expect(stub.calls('/indexes/kb/documents', 'POST')[0]!.body.map((d: { key: string }) => d.key)).to.deep.equal([
      'b',
      'd',
    ]);
    expect(stub.calls('/indexes/kb/documents/delete-batch')[0]!.body).to.deep.equal(['c']);
    expect(stub.calls('/indexes/kb/settings', 'PATCH')).to.have.length(1);
    expect(stub.calls('/swap-indexes')).to.have.length(0);
  });

  it('reports a failed task with Meilisearch’s own error code', async () => {
    stub.failNextTask = {
      type: 'documentAdditionOrUpdate',
      code: 'invalid_document_id',
      message: 'Document identifier `x y` is invalid.',
    };
    const error = await publishToMeili(admin, [meiliDocument(doc('a'), 'h1')], meiliSettings([]), opts).catch(
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(MeiliTaskError);
    expect((error as MeiliTaskError).meiliCode).to.equal('invalid_document_id');
    expect((error as MeiliTaskError).message).to.include('[invalid_document_id]');
  });

  it('derives settings from the KB: attributes in order, filters, synonyms, typo tolerance, languages, ranking', () => {
    const s = meiliSettings([['contraseña', 'password', 'clave']], { dimensions: 8 });
    expect(s.searchableAttributes!.slice(0, 4)).to.deep.equal(['title_en', 'title_es', 'questions_en', 'questions_es']);
    expect(s.filterableAttributes).to.include.members(['lang', 'tags', 'category', 'audience', 'status']);
    expect(s.synonyms!['contraseña']).to.have.members(['password', 'clave']);
    expect(s.synonyms!['password']).to.have.members(['contraseña', 'clave']);
    expect(s.typoTolerance?.enabled).to.equal(true);
    expect(s.localizedAttributes).to.deep.equal([
      { attributePatterns: ['*_es'], locales: ['spa'] },
      { attributePatterns: ['*_en'], locales: ['eng'] },
    ]);
    expect(s.rankingRules![0]).to.equal('words');
    expect(s.embedders).to.deep.equal({ deflect: { source: 'userProvided', dimensions: 8 } });
    expect(meiliSettings([]).embedders).to.equal(undefined);
    expect(
      synonymMap([
        ['a', 'b'],
        ['a', 'c'],
      ]).a,
    ).to.have.members(['b', 'c']);
  });

  it('stores text per language, ids safe as keys, and vectors under the userProvided embedder', () => {
    const d = meiliDocument(doc('a/ñ x', { lang: 'es' }), 'h1', [new Float32Array([0.5, 0.25])], 'hashing-v1');
    expect(d.key).to.match(/^h_[0-9a-f]{40}$/);
    expect(d.articleId).to.equal('a/ñ x');
    expect(d.title_es).to.equal('Title of a/ñ x');
    expect(d).not.to.have.property('title_en');
    expect(d._vectors).to.deep.equal({ deflect: { embeddings: [[0.5, 0.25]], regenerate: false } });
    expect(meiliKey('reset-password-en')).to.equal('reset-password-en');
  });

  it('searches with the search key, the port’s filter in Meilisearch syntax, and maps ranking scores', async () => {
    stub.indexes.set('kb', new Map());
    stub.onSearch = () => [{ articleId: 'a', _rankingScore: 0.5 }];
    const index = new MeiliFullTextIndex(new Meilisearch({ host: stub.url, apiKey: 'SEARCH-KEY' }), { index: 'kb' });
    const hits = await index.search('reset my password', {
      lang: 'en',
      limit: 5,
      filter: {
        publishedOnly: true,
        audiences: ['public'],
        tags: ['account'],
        langs: ['en'],
        excludeIds: new Set(['x"y']),
      },
    });
    const [req] = stub.calls('/indexes/kb/search');
    expect(req!.authorization).to.equal('Bearer SEARCH-KEY');
    expect(req!.body).to.deep.equal({
      q: 'reset my password',
      limit: 5,
      filter: [
        'status = "published"',
        'lang IN ["en"]',
        'audience IN ["public"]',
        'tags IN ["account"]',
        'articleId NOT IN ["x\\"y"]',
      ],
      attributesToRetrieve: ['articleId'],
      showRankingScore: true,
      matchingStrategy: 'frequency',
      locales: ['eng'],
    });
    // 0.5 maps to 8: saturated by retrieval as 8 / (8 + 8) = 0.5, the ranking score itself.
    expect(hits).to.deep.equal([{ id: 'a', score: 8, matched: [] }]);
  });

  it('suggests on titles and questions only, every word required, in the asked language', async () => {
    stub.indexes.set('kb', new Map());
    const index = new MeiliFullTextIndex(new Meilisearch({ host: stub.url, apiKey: 'SEARCH-KEY' }), { index: 'kb' });
    await index.suggest('reset pa', { lang: 'es', limit: 3, filter: { publishedOnly: true } });
    const [req] = stub.calls('/indexes/kb/search');
    expect(req!.body).to.deep.include({
      q: 'reset pa',
      limit: 3,
      matchingStrategy: 'all',
      attributesToSearchOn: ['title_en', 'title_es', 'questions_en', 'questions_es'],
      locales: ['spa'],
    });
    expect(req!.body.filter).to.deep.equal(['status = "published"', 'lang IN ["es"]']);
  });

  it('sends the question’s vector for hybrid search with our own embedder', async () => {
    stub.indexes.set('kb', new Map());
    const embedder = new HashingEmbedder(16);
    const index = new MeiliFullTextIndex(new Meilisearch({ host: stub.url, apiKey: 'SEARCH-KEY' }), {
      index: 'kb',
      hybrid: { embedder, semanticRatio: 0.3 },
    });
    await index.search('vpn setup', { lang: 'en', limit: 5 });
    const [req] = stub.calls('/indexes/kb/search');
    expect(req!.body.hybrid).to.deep.equal({ embedder: 'deflect', semanticRatio: 0.3 });
    expect(req!.body.vector).to.have.length(16);
    expect(req!.body.vector[0]).to.be.closeTo((await embedder.embed(['vpn setup'], 'query', 'en'))[0]![0]!, 1e-6);
  });

  it('sends no request for a question without words', async () => {
    const index = new MeiliFullTextIndex(new Meilisearch({ host: stub.url, apiKey: 'SEARCH-KEY' }), { index: 'kb' });
    expect(await index.search('¿?', { lang: 'es', limit: 5 })).to.deep.equal([]);
    expect(stub.requests).to.have.length(0);
  });

  it('carries each article’s own vectors (title, questions, chunks) for hybrid search, tagged with the embedder', async function () {
    this.timeout(60_000);
    const tmp = tempDir();
    try {
      const embedder = new HashingEmbedder(64);
      const built = await buildIndex({ kbDir: FIXTURE_KB, dataDir: tmp.dir, embedder, defaultLang: 'en' });
      const { docs, settings } = await meiliPayloadOf(built.index, { hybrid: true });
      const a = built.index.articles.get('reset-password-en')!;
      const d = docs.find((x) => x.articleId === a.id)!;
      const vectors = (d._vectors as { deflect: { embeddings: number[][] } }).deflect.embeddings;
      expect(vectors).to.have.length(1 + a.questions.length + a.chunks.length);
      expect(vectors[0]).to.have.length(64);
      expect(d.rev).to.include(embedder.id);
      expect(settings.embedders).to.deep.equal({ deflect: { source: 'userProvided', dimensions: 64 } });
      expect((await meiliPayloadOf(built.index, { hybrid: false })).docs[0]).not.to.have.property('_vectors');
    } finally {
      tmp.cleanup();
    }
  });

  it('refuses to push without the admin key (the search key cannot write)', async () => {
    const index = { articles: new Map(), manifest: { synonyms: [] } } as never;
    const error = await pushToMeili(
      {
        host: stub.url,
        index: 'kb',
        timeoutMs: 500,
        retryMs: 50,
        taskTimeoutMs: 5000,
        hybrid: false,
        semanticRatio: 0.5,
        searchKey: 'S',
      },
      index,
      false,
    ).catch((e: Error) => e);
    expect(error).to.be.instanceOf(ValidationError);
    expect(stub.requests).to.have.length(0);
  });
});
