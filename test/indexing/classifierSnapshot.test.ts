import { expect } from 'chai';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { decodeClassifier, encodeClassifier } from '../../core/answers/codecs/classifierCodec.ts';
import { TermModel, type TermDoc } from '../../core/answers/lexical/termModel.ts';
import { buildIndex } from '../../core/indexing/buildIndex.ts';
import { openSnapshot } from '../../core/indexing/kbIndex.ts';
import { FILES } from '../../core/indexing/snapshot.ts';
import { HashingEmbedder } from '../../core/search/hashingEmbedder.ts';
import { answersOf, writeFiveArticleKb } from '../helpers/snapshotAnswers.ts';
import { tempDir } from '../helpers/tempDir.ts';

describe('the phrase classifier stored in the index snapshot', () => {
  let kb: ReturnType<typeof tempDir>;
  let data: ReturnType<typeof tempDir>;
  const embedder = new HashingEmbedder();

  beforeEach(() => {
    kb = tempDir();
    data = tempDir();
    writeFiveArticleKb(kb.dir);
  });
  afterEach(() => {
    kb.cleanup();
    data.cleanup();
  });

  it('is saved with the snapshot, and a loaded snapshot answers exactly like the build', async () => {
    const built = await buildIndex({ kbDir: kb.dir, dataDir: data.dir, embedder, defaultLang: 'en' });
    const loaded = await openSnapshot(built.snapshotDir!, embedder);
    expect(loaded.terms.saveClassifier()!.fingerprint).to.equal(built.index.terms.saveClassifier()!.fingerprint);
    expect(await answersOf(loaded)).to.deep.equal(await answersOf(built.index));
  });

  it('is retrained when its file is damaged, with the same answers', async () => {
    const built = await buildIndex({ kbDir: kb.dir, dataDir: data.dir, embedder, defaultLang: 'en' });
    const file = path.join(built.snapshotDir!, FILES.classifier);
    writeFileSync(file, readFileSync(file).subarray(0, 40));
    expect(await answersOf(await openSnapshot(built.snapshotDir!, embedder))).to.deep.equal(
      await answersOf(built.index),
    );
  });

  it('is not used by a KB it was not trained on', () => {
    const docs: TermDoc[] = [
      { id: 'a', lang: 'en', title: 'Reset your password', questions: ['forgot password'], passages: [] },
      { id: 'b', lang: 'en', title: 'Set up the VPN', questions: ['vpn setup'], passages: [] },
    ];
    const other = TermModel.build([{ ...docs[0]!, questions: ['locked out'] }, docs[1]!]).saveClassifier()!;
    const fresh = TermModel.build(docs).saveClassifier()!;
    const restored = TermModel.build(docs, { saved: other }).saveClassifier()!;
    expect(restored.fingerprint).to.equal(fresh.fingerprint).and.not.equal(other.fingerprint);
    expect([...restored.model.weights]).to.deep.equal([...fresh.model.weights]);
  });

  it('round-trips through its file format, which refuses truncated files', () => {
    const saved = {
      fingerprint: '0123456789abcdef',
      model: {
        classes: 2,
        rowOf: Int32Array.from([1, -1, 0]),
        weights: Float32Array.from([0.5, -0.25, 2, 3]),
        denseWeights: Float32Array.from([0.125, -1, 4, 8, 16, 0]),
      },
    };
    const bytes = encodeClassifier(saved);
    const back = decodeClassifier(Buffer.from(bytes));
    expect(back.fingerprint).to.equal(saved.fingerprint);
    expect([...back.model.rowOf]).to.deep.equal([1, -1, 0]);
    expect([...back.model.weights]).to.deep.equal([0.5, -0.25, 2, 3]);
    expect([...back.model.denseWeights]).to.deep.equal([0.125, -1, 4, 8, 16, 0]);
    expect(() => decodeClassifier(bytes.subarray(0, bytes.length - 4))).to.throw(/truncated/);
  });
});
