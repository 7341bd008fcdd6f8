import { expect } from 'chai';
import { existsSync, mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildIndex } from '../../core/indexing/buildIndex.ts';
import { isIndexCurrentByStamp, isIndexStale } from '../../core/indexing/indexStaleness.ts';
import { loadKnowledgeBase } from '../../core/articles/loadKb.ts';
import type { Embedder, WordVectors } from '../../core/search/ports.ts';
import { openSnapshot } from '../../core/indexing/kbIndex.ts';
import { currentSnapshotDir, FILES, indexRoot, readFullTextLines, readManifest } from '../../core/indexing/snapshot.ts';
import { MiniSearchIndex } from '../../core/search/miniSearchIndex.ts';
import type { DeferredFullTextIndex } from '../../core/search/deferredFullTextIndex.ts';
import { HashingEmbedder } from '../../core/search/hashingEmbedder.ts';
import { buildArticle, writeKb } from '../helpers/articles.ts';
import { graphEmbedder } from '../helpers/graphEmbedder.ts';
import { tempDir } from '../helpers/tempDir.ts';

describe('buildIndex', () => {
  let kb: ReturnType<typeof tempDir>;
  let data: ReturnType<typeof tempDir>;
  const embedder = new HashingEmbedder();
  const build = (extra: { rebuild?: boolean; embedder?: Embedder; wordVectors?: WordVectors } = {}) =>
    buildIndex({ kbDir: kb.dir, dataDir: data.dir, embedder, defaultLang: 'en', ...extra });

  beforeEach(() => {
    kb = tempDir();
    data = tempDir();
    writeKb(kb.dir, {
      'a.md': buildArticle({ id: 'a', title: 'Reset your password', questions: ['forgot password'] }),
      'b.md': buildArticle(
        { id: 'b', title: 'Set up the VPN', questions: ['vpn setup'], answer: 'Install the VPN client.' },
        '# Set up the VPN\n\n## Windows\n\nOpen the client.\n',
      ),
    });
  });
  afterEach(() => {
    kb.cleanup();
    data.cleanup();
  });

  it('publishes a snapshot named in CURRENT, with a manifest naming the embedder', async () => {
    const s = await build();
    expect(s.articles).to.equal(2);
    expect(s.embedded).to.equal(s.vectors);
    const dir = await currentSnapshotDir(data.dir);
    expect(dir).to.equal(s.snapshotDir);
    const manifest = JSON.parse(readFileSync(path.join(dir!, 'manifest.json'), 'utf8'));
    expect(manifest.embedder).to.deep.equal({ id: embedder.id, dimensions: embedder.dimensions });
    expect(manifest.articleCount).to.equal(2);
  });

  it('records the word vectors it was fitted with, and counts as stale when other vectors (or none) are configured', async () => {
    const vectors: WordVectors = {
      id: 'tiny-v1',
      lang: 'en',
      dimensions: 2,
      vector: (w) => (w === 'vpn' ? Float32Array.of(1, 0) : null),
      weight: () => 1,
    };
    const s = await build({ wordVectors: vectors });
    const manifest = JSON.parse(readFileSync(path.join(s.snapshotDir!, 'manifest.json'), 'utf8'));
    expect(manifest.wordVectors).to.equal('tiny-v1');
    const kbNow = await loadKnowledgeBase(kb.dir, { defaultLang: 'en' });
    expect(await isIndexStale(kbNow, data.dir, embedder, vectors)).to.equal(false);
    expect(await isIndexStale(kbNow, data.dir, embedder, { ...vectors, id: 'tiny-v2' })).to.equal(true);
    expect(await isIndexStale(kbNow, data.dir, embedder, null)).to.equal(true);
  });

  it("searches the full-text index its snapshot's file loads (a served one's), not another, loaded when first searched", async () => {
    const s = await build();
    const served = await openSnapshot(s.snapshotDir!, embedder);
    const fromFile = MiniSearchIndex.fromJsonLines(readFullTextLines(s.snapshotDir!));
    const own = s.index.fullText as DeferredFullTextIndex;
    expect(own.state()).to.equal('waiting');
    expect((await own.load()).toJSON()).to.equal(fromFile.toJSON());
    expect(own.state()).to.equal('ready');
    const asked = { lang: 'en', limit: 5 } as const;
    expect(await s.index.fullText.search('vpn client passw', asked)).to.deep.equal(
      await served.fullText.search('vpn client passw', asked),
    );
  });

  it("knows the index of an unchanged KB folder is current from the files' sizes and times, without reading them", async () => {
    await build();
    const current = () => isIndexCurrentByStamp(kb.dir, data.dir, embedder);
    expect(await current()).to.equal(true);
    // Another embedder or other word vectors: the stamp alone never says current.
    expect(await isIndexCurrentByStamp(kb.dir, data.dir, new HashingEmbedder(64))).to.equal(false);
    const vectors: WordVectors = { id: 'v', lang: 'en', dimensions: 2, vector: () => null, weight: () => 1 };
    expect(await isIndexCurrentByStamp(kb.dir, data.dir, embedder, vectors)).to.equal(false);
    // A file touched, same content: the stamp cannot tell, reading the articles says it is still current.
    utimesSync(path.join(kb.dir, 'a.md'), new Date(2030, 0, 1), new Date(2030, 0, 1));
    expect(await current()).to.equal(false);
    expect(await isIndexStale(await loadKnowledgeBase(kb.dir, { defaultLang: 'en' }), data.dir, embedder)).to.equal(
      false,
    );
    await build();
    expect(await current()).to.equal(true);
    for (const change of [
      () => writeKb(kb.dir, { 'c.md': buildArticle({ id: 'c', title: 'Printer jam' }) }),
      () => writeKb(kb.dir, { '_synonyms.yml': '- [vpn, tunnel]\n' }),
      () => rmSync(path.join(kb.dir, 'b.md')),
    ]) {
      change();
      expect(await current()).to.equal(false);
      await build();
      expect(await current()).to.equal(true);
    }
  });

  it('re-embeds only changed articles and drops deleted ones from every index', async () => {
    await build();
    writeKb(kb.dir, {
      'a.md': buildArticle({ id: 'a', title: 'Reset your password', questions: ['forgot password', 'locked out'] }),
    });
    rmSync(path.join(kb.dir, 'b.md'));
    const s = await build();
    expect(s.removed).to.equal(1);
    expect(s.embedded).to.equal(s.vectors); // a changed: all its units are new
    writeKb(kb.dir, { 'c.md': buildArticle({ id: 'c', title: 'Printer jam' }) });
    const s2 = await build();
    expect(s2.reused).to.be.greaterThan(0);
    expect(s2.embedded).to.be.lessThan(s2.vectors);
    const index = await openSnapshot(s2.snapshotDir!, embedder);
    expect([...index.articles.keys()].sort()).to.deep.equal(['a', 'c']);
    expect((await index.fullText.search('vpn client', { lang: 'en', limit: 5 })).map((h) => h.id)).to.not.include('b');
    expect(
      index.vectors.search((await embedder.embed(['vpn setup'], 'query'))[0]!, 10).map((h) => h.item.articleId),
    ).to.not.include('b');
  });

  it('keeps the old snapshot current when a build dies before publishing', async () => {
    const first = await build();
    // Simulate a crash mid-build: a half-written folder beside the current snapshot.
    mkdirSync(path.join(indexRoot(data.dir), '.building-snap-crashed-1'));
    writeFileSync(path.join(indexRoot(data.dir), '.building-snap-crashed-1', 'articles.json'), '[{"id":');
    expect(await currentSnapshotDir(data.dir)).to.equal(first.snapshotDir);
    const index = await openSnapshot(first.snapshotDir!, embedder);
    expect(index.articles.size).to.equal(2);
    // The next successful build cleans the debris and moves CURRENT.
    const second = await build();
    expect(await currentSnapshotDir(data.dir)).to.equal(second.snapshotDir);
    expect(existsSync(path.join(indexRoot(data.dir), '.building-snap-crashed-1'))).to.equal(false);
  });

  it('refuses to open a snapshot for another embedder, without reading its graph with the wrong dimensions', async () => {
    const built = await build();
    let error: Error | undefined;
    await openSnapshot(built.snapshotDir!, new HashingEmbedder(256)).catch((e: Error) => (error = e));
    expect(error?.name).to.equal('IndexMismatchError');
    expect(error?.message).to.match(/--rebuild/);
    // The same snapshot still opens for its own embedder.
    expect((await openSnapshot(built.snapshotDir!, embedder)).articles.size).to.equal(2);
  });

  it('refuses to mix vectors of different embedders unless asked to rebuild', async () => {
    await build();
    const other = new HashingEmbedder(256);
    let error: Error | undefined;
    await build({ embedder: other }).catch((e: Error) => (error = e));
    expect(error?.name).to.equal('IndexMismatchError');
    expect(error?.message).to.match(/--rebuild/);
    const s = await build({ embedder: other, rebuild: true });
    expect(s.embedded).to.equal(s.vectors);
    let openError: Error | undefined;
    await openSnapshot(s.snapshotDir!, embedder).catch((e: Error) => (openError = e));
    expect(openError?.message).to.match(/hashing-v1-d256.*re-index/);
  });

  for (const [what, of, file] of [
    ['scan', () => embedder, FILES.scan],
    ['graph', graphEmbedder, FILES.hnsw],
  ] as const)
    it(`detects a truncated vector file (${what}) instead of serving garbage`, async () => {
      const s = await build({ embedder: of() });
      const written = path.join(s.snapshotDir!, file);
      writeFileSync(written, readFileSync(written).subarray(0, 100));
      let error: Error | undefined;
      await openSnapshot(s.snapshotDir!, of()).catch((e: Error) => (error = e));
      expect(error, 'a truncated index must not load').to.be.instanceOf(Error);
    });

  it("scans the hashing embedder's vectors, and builds a dense model's graph, each named in the manifest", async () => {
    const scanned = await build();
    expect((await readManifest(scanned.snapshotDir!)).vectorIndex).to.equal('scan');
    expect(existsSync(path.join(scanned.snapshotDir!, FILES.scan))).to.equal(true);
    expect(existsSync(path.join(scanned.snapshotDir!, FILES.hnsw))).to.equal(false);
    expect((await openSnapshot(scanned.snapshotDir!, embedder)).vectors.kind).to.equal('scan');
    const dense = graphEmbedder();
    const graphed = await build({ embedder: dense, rebuild: true });
    expect((await readManifest(graphed.snapshotDir!)).vectorIndex).to.equal('hnsw');
    expect(existsSync(path.join(graphed.snapshotDir!, FILES.scan))).to.equal(false);
    expect((await openSnapshot(graphed.snapshotDir!, dense)).vectors.kind).to.equal('hnswlib');
  });

  it("counts a snapshot that holds a graph of the hashing embedder's vectors (built before the scan) as stale", async () => {
    const s = await build();
    const loaded = await loadKnowledgeBase(kb.dir, { defaultLang: 'en' });
    expect(await isIndexStale(loaded, data.dir, embedder)).to.equal(false);
    expect(await isIndexCurrentByStamp(kb.dir, data.dir, embedder)).to.equal(true);
    const manifestFile = path.join(s.snapshotDir!, FILES.manifest);
    const { vectorIndex: _kind, ...older } = JSON.parse(readFileSync(manifestFile, 'utf8')) as Record<string, unknown>;
    writeFileSync(manifestFile, JSON.stringify({ ...older, format: 3 }));
    expect(await isIndexStale(loaded, data.dir, embedder)).to.equal(true);
    expect(await isIndexCurrentByStamp(kb.dir, data.dir, embedder)).to.equal(false);
  });
});
