import { expect } from 'chai';
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../core/config/index.ts';
import { buildIndex } from '../../core/indexing/buildIndex.ts';
import { buildInChild } from '../../core/indexing/child/buildInChild.ts';
import { indexChildUrl } from '../../core/indexing/child/indexChildUrl.mjs';
import { openSnapshot } from '../../core/indexing/kbIndex.ts';
import { currentSnapshotDir } from '../../core/indexing/snapshot.ts';
import { HashingEmbedder } from '../../core/search/hashingEmbedder.ts';
import { writeKb } from '../helpers/articles.ts';
import { answersOf, writeFiveArticleKb } from '../helpers/snapshotAnswers.ts';
import { tempDir } from '../helpers/tempDir.ts';

describe('a server’s first index build in a child process (a large KB’s)', function () {
  this.timeout(120_000);

  it('publishes the snapshot this process would have built, and says what it built', async () => {
    const kb = tempDir();
    const [inChild, here] = [tempDir(), tempDir()];
    try {
      writeFiveArticleKb(kb.dir);
      writeKb(kb.dir, { 'broken.md': '---\ntitle: [unclosed\n---\nbody' });
      const config = loadConfig({ KB_DIR: kb.dir, DATA_DIR: inChild.dir, WORD_VECTORS: 'off' });
      const built = await buildInChild(config, { rebuild: false });
      expect(built.snapshotDir).to.equal(await currentSnapshotDir(inChild.dir));
      expect(built).to.include({ articles: 5 });
      expect(built.problems.map((p) => p.file)).to.deep.equal(['broken.md']);
      expect(built.stages.length).to.be.above(0);

      const embedder = new HashingEmbedder();
      const local = await buildIndex({ kbDir: kb.dir, dataDir: here.dir, embedder, defaultLang: 'en' });
      const [a, b] = [
        await openSnapshot(built.snapshotDir, embedder),
        await openSnapshot(local.snapshotDir!, embedder),
      ];
      expect(await answersOf(a)).to.deep.equal(await answersOf(b));
      const articles = (dir: string) => readFileSync(path.join(dir, 'articles.json'), 'utf8');
      expect(articles(built.snapshotDir)).to.equal(articles(local.snapshotDir!));
    } finally {
      kb.cleanup();
      inChild.cleanup();
      here.cleanup();
    }
  });

  it('stops when its server goes away (the channel to it closes) instead of publishing behind its back', async () => {
    const [kb, data] = [tempDir(), tempDir()];
    try {
      writeFiveArticleKb(kb.dir);
      const config = loadConfig({ KB_DIR: kb.dir, DATA_DIR: data.dir, WORD_VECTORS: 'off' });
      const child = fork(fileURLToPath(indexChildUrl), [], { stdio: 'ignore', serialization: 'advanced' });
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.send({ config, rebuild: false, logger: { level: 'error', redactEmails: false } });
      child.disconnect();
      expect(await exited).to.equal(1);
      expect(await currentSnapshotDir(data.dir).catch(() => null)).to.equal(null);
    } finally {
      kb.cleanup();
      data.cleanup();
    }
  });

  it('rejects with the child’s reason when the build fails, leaving no snapshot', async () => {
    const data = tempDir();
    try {
      const config = loadConfig({ KB_DIR: path.join(data.dir, 'no-such-kb'), DATA_DIR: data.dir, WORD_VECTORS: 'off' });
      let error: Error | undefined;
      await buildInChild(config, { rebuild: false }).catch((e: Error) => (error = e));
      expect(error?.message).to.match(/index build in a child process failed: .*no-such-kb/);
      expect(await currentSnapshotDir(data.dir).catch(() => null)).to.equal(null);
    } finally {
      data.cleanup();
    }
  });
});
