import { expect } from 'chai';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cp } from 'node:fs/promises';
import path from 'node:path';
import { checkHealth } from '../../core/commands/checkHealth.ts';
import { buildIndex, searchDocumentOf, type BuildSummary } from '../../core/indexing/buildIndex.ts';
import { deferredLoadsSettled, openSnapshot, startDeferredLoads, type KbIndex } from '../../core/indexing/kbIndex.ts';
import { FILES } from '../../core/indexing/snapshot.ts';
import { DeferredFullTextIndex } from '../../core/search/deferredFullTextIndex.ts';
import { HashingEmbedder } from '../../core/search/hashingEmbedder.ts';
import { MiniSearchIndex } from '../../core/search/miniSearchIndex.ts';
import type { FullTextIndex } from '../../core/search/ports.ts';
import type { CoreServices } from '../../core/services.ts';
import { IndexHolder } from '../../core/services.ts';
import { FIXTURE_KB } from '../helpers/fixtureKb.ts';
import { logged } from '../helpers/logged.ts';
import { tempDir } from '../helpers/tempDir.ts';

/** Searches and suggestions a widget would send: every title, its first word as a prefix, and a few misspellings. */
function probesOf(index: KbIndex): string[] {
  const out = ['pasword', 'contraseña', 'vpn', 'refnud', 'weather in Madrid'];
  for (const a of index.articles.values()) out.push(a.title, a.title.split(' ')[0]!.slice(0, 3));
  return out;
}

/** Every hit of every probe, to the last digit of its score. */
async function hitsOf(fullText: FullTextIndex, probes: string[]): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const q of probes) {
    out.push(q, await fullText.search(q, { lang: 'en', limit: 10 }));
    out.push(await fullText.suggest(q, { limit: 10 }));
  }
  return out;
}

async function healthOf(index: KbIndex) {
  const core = {
    index: new IndexHolder(index),
    conversations: { size: () => 0 },
    storageHealth: async () => ({ kind: 'embedded' }),
  } as unknown as Pick<CoreServices, 'index' | 'conversations' | 'storageHealth'>;
  return checkHealth(core);
}

describe("a server's full-text index, loaded after it is ready", function () {
  this.timeout(120_000);
  const embedder = new HashingEmbedder();
  let kb: ReturnType<typeof tempDir>;
  let data: ReturnType<typeof tempDir>;
  let built: BuildSummary;
  let probes: string[];
  let expected: unknown[];

  before(async () => {
    kb = tempDir();
    data = tempDir();
    await cp(FIXTURE_KB, kb.dir, { recursive: true });
    built = await buildIndex({ kbDir: kb.dir, dataDir: data.dir, embedder, defaultLang: 'en' });
    probes = probesOf(built.index);
    expected = await hitsOf(built.index.fullText, probes);
  });
  after(() => {
    kb.cleanup();
    data.cleanup();
  });

  /** A copy of the built snapshot, changed by `change`. */
  async function copy(change: (dir: string) => void = () => undefined): Promise<string> {
    const dir = path.join(path.dirname(built.snapshotDir!), `snap-copy-${Math.random().toString(36).slice(2)}`);
    await cp(built.snapshotDir!, dir, { recursive: true });
    change(dir);
    return dir;
  }

  it('opens without reading fulltext.json, then loads it when started, with the hits the build had', async () => {
    const dir = await copy();
    const index = await openSnapshot(dir, embedder, null, { fullText: 'later' });
    const fullText = index.fullText as DeferredFullTextIndex;
    expect(fullText).to.be.instanceOf(DeferredFullTextIndex);
    expect(fullText.state()).to.equal('waiting');
    expect(fullText.count()).to.equal(built.index.articles.size);
    expect((await healthOf(index)).index.fullTextLoad).to.equal('waiting');
    const { lines } = await logged(async () => {
      startDeferredLoads(index);
      await fullText.load();
    });
    expect(lines.some((l) => /full-text index loaded/.test(l))).to.equal(true);
    expect(fullText.state()).to.equal('ready');
    expect(await hitsOf(fullText, probes)).to.deep.equal(expected);
    const health = await healthOf(index);
    expect([health.status, health.index.fullTextLoad]).to.deep.equal(['ok', 'ready']);
  });

  it('loads at the first search when nothing started it', async () => {
    const index = await openSnapshot(await copy(), embedder, null, { fullText: 'later' });
    expect(await hitsOf(index.fullText, probes)).to.deep.equal(expected);
    expect((index.fullText as DeferredFullTextIndex).state()).to.equal('ready');
  });

  it('says when the load is done, whoever started it, and starts none itself', async () => {
    const index = await openSnapshot(await copy(), embedder, null, { fullText: 'later' });
    const fullText = index.fullText as DeferredFullTextIndex;
    let settled = false;
    void deferredLoadsSettled(index).then(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect([settled, fullText.state()]).to.deep.equal([false, 'waiting']);
    await fullText.search('password', { lang: 'en', limit: 5 });
    await new Promise((resolve) => setImmediate(resolve));
    expect([settled, fullText.state()]).to.deep.equal([true, 'ready']);
    const loadedNow = await openSnapshot(await copy(), embedder, null);
    await deferredLoadsSettled(loadedNow);
  });

  for (const [damage, change] of [
    ['truncated', (file: string) => writeFileSync(file, readFileSync(file).subarray(0, 300))],
    ['not MiniSearch JSON', (file: string) => writeFileSync(file, '{"hello":"world"}')],
    ['missing', (file: string) => rmSync(file)],
  ] as const) {
    it(`rebuilds a ${damage} fulltext.json from the articles, with a warning and the same hits, at start or later`, async () => {
      const dir = await copy((d) => change(path.join(d, FILES.fullText)));
      // A server's start: the snapshot opens, the damage shows when the load runs after "ready".
      const later = await openSnapshot(dir, embedder, null, { fullText: 'later' });
      const deferred = later.fullText as DeferredFullTextIndex;
      const { lines } = await logged(() =>
        hitsOf(deferred, probes).then((hits) => expect(hits).to.deep.equal(expected)),
      );
      expect(
        lines.some((l) => /"level":"warn"/.test(l) && /unreadable; rebuilding it from the articles/.test(l)),
      ).to.equal(true);
      expect(deferred.state()).to.equal('rebuilt');
      const health = await healthOf(later);
      expect([health.status, health.index.fullTextLoad]).to.deep.equal(['ok', 'rebuilt']);
      // A new snapshot while serving (or the CLI): opened with its full-text index rebuilt, not refused.
      const now = await logged(() => openSnapshot(dir, embedder));
      expect(await hitsOf(now.value.fullText, probes)).to.deep.equal(expected);
    });
  }

  it('rebuilds in slices, the event loop free between them, the very index a build makes', async () => {
    const docs = [...built.index.articles.values()].flatMap((a) =>
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13].map((k) => ({ ...searchDocumentOf(a), id: `${a.id}-${k}` })),
    );
    expect(docs.length).to.be.greaterThan(300);
    let turns = 0;
    let done = false;
    const turn = () => {
      turns++;
      if (!done) setImmediate(turn);
    };
    setImmediate(turn);
    const sliced = await MiniSearchIndex.buildInSlices(docs, built.index.manifest.synonyms);
    done = true;
    expect(turns).to.be.at.least(Math.floor(docs.length / 100));
    expect(sliced.toJSON()).to.equal(MiniSearchIndex.build(docs, built.index.manifest.synonyms).toJSON());
  });

  it("applies watch mode's deltas that arrive before it is loaded, in order, once it is", async () => {
    const index = await openSnapshot(await copy(), embedder, null, { fullText: 'later' });
    const eager = await openSnapshot(await copy(), embedder);
    expect(eager.fullText).to.be.instanceOf(MiniSearchIndex);
    const [first, second, third] = [...built.index.articles.values()];
    const edited = { ...searchDocumentOf(first!), title: 'Quarterly zeppelin maintenance' };
    const deltas: [ReturnType<typeof searchDocumentOf>[], string[]][] = [
      [[edited], [second!.id]],
      [[], [third!.id]],
      [[searchDocumentOf(third!)], []],
    ];
    for (const [docs, removed] of deltas) {
      (index.fullText as DeferredFullTextIndex).applyDelta(docs, removed);
      (eager.fullText as MiniSearchIndex).applyDelta(docs, removed);
    }
    const after = [...probes, 'zeppelin'];
    const hits = await hitsOf(index.fullText, after);
    expect(hits).to.deep.equal(await hitsOf(eager.fullText, after));
    expect(JSON.stringify(hits)).to.contain(first!.id).and.not.contain(`"${second!.id}"`);
    expect((await index.fullText.search('zeppelin', { lang: 'en', limit: 3 }))[0]?.id).to.equal(first!.id);
  });

  it('answers every search with UnavailableError, and /healthz says degraded, when even the rebuild fails', async () => {
    const broken = new DeferredFullTextIndex(
      {
        snapshot: 'snap-broken',
        read: () => Promise.reject(new Error('EIO')),
        rebuild: () => Promise.reject(new Error('out of memory')),
      },
      3,
    );
    const { lines } = await logged(async () => {
      broken.start();
      for (let i = 0; i < 2; i++) {
        const error = await broken.search('vpn', { lang: 'en', limit: 5 }).catch((e: Error) => e);
        expect((error as Error).name).to.equal('UnavailableError');
      }
    });
    expect(lines.some((l) => /"level":"error"/.test(l) && /could not be rebuilt/.test(l))).to.equal(true);
    expect(broken.state()).to.equal('failed');
    const index = { ...built.index, fullText: broken };
    const health = await healthOf(index);
    expect([health.status, health.index.fullTextLoad]).to.deep.equal(['degraded', 'failed']);
  });
});
