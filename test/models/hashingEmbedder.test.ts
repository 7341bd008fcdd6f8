import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../core/config/index.ts';
import { createEmbedder } from '../../core/createCore.ts';
import { buildIndex } from '../../core/indexing/buildIndex.ts';
import { FIXTURE_KB } from '../helpers/fixtureKb.ts';

describe('the hashing embedder (EMBEDDER=hashing)', () => {
  it('hashes into 1,024 dimensions unless HASHING_DIMENSIONS says otherwise', () => {
    expect(createEmbedder(loadConfig({})).dimensions).to.equal(1024);
    expect(createEmbedder(loadConfig({})).id).to.equal('hashing-v1-d1024-c0.5');
  });

  it('takes HASHING_DIMENSIONS, and an index built with it records the size (another size is another embedder)', async function () {
    this.timeout(60_000);
    const embedder = createEmbedder(loadConfig({ HASHING_DIMENSIONS: '512' }));
    expect(embedder.dimensions).to.equal(512);
    const built = await buildIndex({ kbDir: FIXTURE_KB, embedder, defaultLang: 'en' });
    expect(built.index.manifest.embedder).to.deep.equal({ id: 'hashing-v1-d512-c0.5', dimensions: 512 });
    expect(built.index.vectors.dimensions).to.equal(512);
  });

  const cases = [
    { value: '32', description: 'too few dimensions to keep words apart' },
    { value: '10000', description: 'more than any KB needs' },
    { value: '512.5', description: 'not a whole number' },
    { value: 'many', description: 'not a number' },
  ];
  for (const { value, description } of cases)
    it(`rejects HASHING_DIMENSIONS=${value} (${description})`, () => {
      expect(() => loadConfig({ HASHING_DIMENSIONS: value }))
        .to.throw(ConfigError)
        .with.property('message')
        .that.includes('HASHING_DIMENSIONS');
    });
});
