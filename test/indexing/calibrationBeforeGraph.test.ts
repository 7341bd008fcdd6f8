import { expect } from 'chai';
import { calibrate, prepareCalibration } from '../../core/answers/pipeline/coverage.ts';
import { buildIndex, type BuildSummary } from '../../core/indexing/buildIndex.ts';
import { indexFromData } from '../../core/indexing/kbIndex.ts';
import { readFullTextLines, readSnapshot } from '../../core/indexing/snapshot.ts';
import { HashingEmbedder } from '../../core/search/hashingEmbedder.ts';
import { FIXTURE_KB } from '../helpers/fixtureKb.ts';
import { tempDir } from '../helpers/tempDir.ts';

/** An index whose parts but `articles` and `terms` throw when read: what preparing a calibration may not touch. */
function onlyArticlesAndTerms<T extends object>(index: T): T {
  return new Proxy(index, {
    get(target, key, receiver) {
      if (key !== 'articles' && key !== 'terms') throw new Error(`read ${String(key)} before the graph`);
      return Reflect.get(target, key, receiver);
    },
  });
}

describe("An index build's calibration, prepared while the vector graph builds", function () {
  this.timeout(120_000);
  const data = tempDir('deflect-calibration-plan-');
  const embedder = new HashingEmbedder();
  let built: BuildSummary;
  before(async () => {
    built = await buildIndex({ kbDir: FIXTURE_KB, dataDir: data.dir, embedder, wordVectors: null, defaultLang: 'en' });
  });
  after(() => data.cleanup());

  it('prepares its folds from the articles and the term model alone, and calibrates as without them', async () => {
    const { index } = built;
    const plan = prepareCalibration(onlyArticlesAndTerms(index));
    expect(plan.folds.length).to.be.above(0);
    expect(await calibrate(index, 'en', plan)).to.deep.equal(await calibrate(index, 'en'));
    expect(await calibrate(index, 'en', plan)).to.deep.equal(index.manifest.calibration);
  });

  it('hands the index to the work before the graph, without its vectors, before the index is whole', async () => {
    const dir = built.snapshotDir!;
    const stored = await readSnapshot(dir);
    const seen: string[] = [];
    const index = await indexFromData(
      { ...stored, fullTextJson: [...readFullTextLines(dir)].join('\n') },
      { embedder, wordVectors: null },
      dir,
      Promise.resolve(built.index.vectors as never),
      (partial) => {
        seen.push(...Object.keys(partial).filter((k) => k === 'terms' || k === 'articles' || k === 'vectors'));
        prepareCalibration(partial);
      },
    );
    expect(seen.sort()).to.deep.equal(['articles', 'terms']);
    expect(index.vectors).to.equal(built.index.vectors);
  });
});
