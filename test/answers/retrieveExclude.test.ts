import { expect } from 'chai';
import { retrieve } from '../../core/answers/pipeline/retrieve.ts';
import { buildIndex } from '../../core/indexing/buildIndex.ts';
import type { KbIndex } from '../../core/indexing/kbIndex.ts';
import { HashingEmbedder } from '../../core/search/hashingEmbedder.ts';
import { FIXTURE_KB } from '../helpers/fixtureKb.ts';

describe("retrieve with articles excluded (calibration's questions nothing answers)", function () {
  this.timeout(60_000);
  let index: KbIndex;
  before(async () => {
    const options = {
      kbDir: FIXTURE_KB,
      embedder: new HashingEmbedder(),
      wordVectors: null,
      defaultLang: 'en' as const,
    };
    index = (await buildIndex(options)).index;
  });
  const questions = ['how do I cancel my order', 'I forgot my password', 'where is my package', 'refund'];
  const filter = { publishedOnly: true };

  it('never offers an excluded article, even the best, and the filter without exclusions is left as it was', async () => {
    for (const q of questions) {
      const asked = await retrieve(index, q, { lang: 'en', filter });
      const best = asked[0]!.articleId;
      const orphan = await retrieve(index, q, { lang: 'en', filter: { ...filter, excludeIds: new Set([best]) } });
      expect(orphan).to.not.be.empty;
      expect(orphan.map((c) => c.articleId)).to.not.include(best);
      expect(await retrieve(index, q, { lang: 'en', filter })).to.deep.equal(asked);
    }
  });

  it('answers as without them when the excluded articles are ones the filter leaves out anyway', async () => {
    const drafts = [...index.articles.values()].filter((a) => a.status !== 'published').map((a) => a.id);
    expect(drafts).to.not.be.empty;
    for (const q of questions) {
      const asked = await retrieve(index, q, { lang: 'en', filter });
      const excluded = await retrieve(index, q, { lang: 'en', filter: { ...filter, excludeIds: new Set(drafts) } });
      expect(excluded).to.deep.equal(asked);
    }
  });
});
