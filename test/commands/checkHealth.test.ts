import { expect } from 'chai';
import { checkHealth } from '../../core/commands/checkHealth.ts';
import { buildIndex } from '../../core/indexing/buildIndex.ts';
import type { KbIndex } from '../../core/indexing/kbIndex.ts';
import { HashingEmbedder } from '../../core/search/hashingEmbedder.ts';

type HealthCore = Parameters<typeof checkHealth>[0];

/** /healthz's view of a served index, with an embedded store and no live conversation. */
function coreServing(index: KbIndex): HealthCore {
  return {
    index: { get: () => index },
    conversations: { size: () => 0 },
    storageHealth: async () => ({ kind: 'embedded', conversations: 'memory' }),
  } as unknown as HealthCore;
}

describe('/healthz', () => {
  /** The fixture KB's index, built once for the specs below. */
  let index: KbIndex;
  before(async function () {
    this.timeout(60_000);
    index = (
      await buildIndex({
        kbDir: 'test/fixtures/kb',
        embedder: new HashingEmbedder(),
        wordVectors: null,
        defaultLang: 'en',
      })
    ).index;
  });

  describe('the estimated self-service coverage', () => {
    it("gives the served index's shares, probes, articles and build time, and nothing of the articles themselves", async () => {
      const health = await checkHealth(coreServing(index));
      const { coverage } = health;
      // Said once: the weakest articles' block does not repeat the unrounded figures.
      expect(health.index.selfService).to.have.all.keys('weakest');
      expect(coverage).to.have.all.keys('answered', 'offered', 'probes', 'articles', 'builtAt');
      expect(coverage!.offered).to.be.within(coverage!.answered, 1);
      expect(coverage!.probes).to.be.greaterThan(0);
      expect(coverage!.builtAt).to.equal(index.manifest.createdAt);
      // Shares rounded for reading: three decimals at most.
      for (const share of [coverage!.answered, coverage!.offered])
        expect(share * 1000).to.be.closeTo(Math.round(share * 1000), 1e-9);
    });

    it('is null, not an error, for an index built before the figure existed', async () => {
      const { coverage: _, ...olderSelfService } = index.manifest.calibration.selfService!;
      const older = {
        ...index,
        manifest: { ...index.manifest, calibration: { ...index.manifest.calibration, selfService: olderSelfService } },
      };
      const health = await checkHealth(coreServing(older as KbIndex));
      expect(health.status).to.equal('ok');
      expect(health.coverage).to.equal(null);
    });
  });

  describe('the published articles', () => {
    it('counts the published articles of the index served, and of the next one (a delta makes a new map)', async () => {
      const published = [...index.articles.values()].filter((a) => a.status === 'published');
      expect(published.length).to.be.greaterThan(1);
      expect((await checkHealth(coreServing(index))).published).to.equal(published.length);
      // Asked again: the same count (remembered for this map).
      expect((await checkHealth(coreServing(index))).published).to.equal(published.length);
      // The next index: one article unpublished, one removed, as watch mode's delta gives them (a new map).
      const articles = new Map(index.articles);
      articles.set(published[0]!.id, { ...published[0]!, status: 'draft' });
      articles.delete(published[1]!.id);
      const next = { ...index, articles } as KbIndex;
      expect((await checkHealth(coreServing(next))).published).to.equal(published.length - 2);
      expect((await checkHealth(coreServing(index))).published).to.equal(published.length);
    });
  });
});
