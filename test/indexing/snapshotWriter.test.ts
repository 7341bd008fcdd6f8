import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { copyFile } from 'node:fs/promises';
import path from 'node:path';
import { buildIndex } from '../../core/indexing/buildIndex.ts';
import {
  currentSnapshotDir,
  FILES,
  indexRoot,
  readFullTextLines,
  readSnapshot,
  type SnapshotData,
  vectorIndexOf,
} from '../../core/indexing/snapshot.ts';
import { publishSnapshot, SnapshotWriter } from '../../core/indexing/snapshotWriter.ts';
import { packVectors } from '../../core/indexing/snapshotVectors.ts';
import { HashingEmbedder } from '../../core/search/hashingEmbedder.ts';
import { buildArticle, writeKb } from '../helpers/articles.ts';
import { tempDir } from '../helpers/tempDir.ts';

describe('SnapshotWriter: a snapshot written file by file while a build goes on', () => {
  const dirs: ReturnType<typeof tempDir>[] = [];
  const dir = () => {
    const d = tempDir();
    dirs.push(d);
    return d.dir;
  };
  let built: string;
  let data: SnapshotData & { vectors: Float32Array[] };
  before(async () => {
    const kb = dir();
    writeKb(kb, {
      'a.md': buildArticle({ id: 'a', title: 'Reset your password', questions: ['forgot password'] }),
      'b.md': buildArticle({ id: 'b', title: 'Set up the VPN', questions: ['vpn setup'] }),
    });
    built = dir();
    const summary = await buildIndex({ kbDir: kb, dataDir: built, embedder: new HashingEmbedder(), defaultLang: 'en' });
    const stored = await readSnapshot(summary.snapshotDir!);
    data = { ...stored, fullTextJson: [...readFullTextLines(summary.snapshotDir!)].join('\n') };
  });
  after(() => dirs.forEach((d) => d.cleanup()));

  const graphOf = (from: string) => async (file: string) => {
    await copyFile(path.join((await currentSnapshotDir(from))!, vectorIndexOf(data.manifest).file), file);
  };

  it('writes, in another order (the graph and vectors first, the rest later), the bytes publishSnapshot writes', async () => {
    const whole = dir();
    const inParts = dir();
    const expected = await publishSnapshot(whole, data, graphOf(built));
    const snapshot = await SnapshotWriter.start(inParts);
    await snapshot.take(vectorIndexOf(data.manifest).file, graphOf(built));
    await snapshot.write(FILES.vectors, packVectors(data.vectors, data.manifest.embedder.dimensions));
    await snapshot.writeData(data);
    const published = await snapshot.publish(data.manifest);
    expect(await currentSnapshotDir(inParts)).to.equal(published);
    const files = readdirSync(expected).sort();
    expect(readdirSync(published).sort()).to.deep.equal(files);
    for (const f of files)
      expect(readFileSync(path.join(published, f)).equals(readFileSync(path.join(expected, f))), f).to.equal(true);
  });

  it("writes the KB's files before the term model's (a build's while the model is fitted), to the same bytes", async () => {
    const whole = dir();
    const inParts = dir();
    const expected = await publishSnapshot(whole, data, graphOf(built));
    const snapshot = await SnapshotWriter.start(inParts);
    await snapshot.writeKb(data);
    const [building] = readdirSync(indexRoot(inParts)).filter((n) => n.startsWith('.building-'));
    const written = readdirSync(path.join(indexRoot(inParts), building!)).sort();
    expect(written).to.deep.equal(
      [FILES.articles, FILES.items, FILES.itemsTable, FILES.fullText, FILES.centroids].sort(),
    );
    await snapshot.take(vectorIndexOf(data.manifest).file, graphOf(built));
    await snapshot.write(FILES.vectors, packVectors(data.vectors, data.manifest.embedder.dimensions));
    await snapshot.writeModels(data);
    const published = await snapshot.publish(data.manifest);
    const files = readdirSync(expected).sort();
    expect(readdirSync(published).sort()).to.deep.equal(files);
    for (const f of files)
      expect(readFileSync(path.join(published, f)).equals(readFileSync(path.join(expected, f))), f).to.equal(true);
  });

  it('is no snapshot until published: CURRENT stays, and its folder has no manifest', async () => {
    const before = await currentSnapshotDir(built);
    const snapshot = await SnapshotWriter.start(built);
    await snapshot.writeData(data);
    expect(await currentSnapshotDir(built)).to.equal(before);
    const [building] = readdirSync(indexRoot(built)).filter((n) => n.startsWith('.building-'));
    expect(building, 'the unfinished folder').to.be.a('string');
    expect(existsSync(path.join(indexRoot(built), building!, FILES.articles))).to.equal(true);
    expect(existsSync(path.join(indexRoot(built), building!, FILES.manifest))).to.equal(false);
    await snapshot.discard();
    expect(readdirSync(indexRoot(built)).filter((n) => n.startsWith('.building-'))).to.deep.equal([]);
    expect(await currentSnapshotDir(built)).to.equal(before);
  });
});
