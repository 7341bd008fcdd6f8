import { expect } from 'chai';
import { warmUp } from '../../core/answers/pipeline/warmUp.ts';
import type { EngineIndex } from '../../core/answers/pipeline/answerEngine.ts';
import { buildIndex } from '../../core/indexing/buildIndex.ts';
import { openSnapshot } from '../../core/indexing/kbIndex.ts';
import { HashingEmbedder } from '../../core/search/hashingEmbedder.ts';
import { logged } from '../helpers/logged.ts';
import { answersOf, writeFiveArticleKb } from '../helpers/snapshotAnswers.ts';
import { tempDir } from '../helpers/tempDir.ts';

describe('warmUp: an index answers a first question before it is served', () => {
  const embedder = new HashingEmbedder();
  let kb: ReturnType<typeof tempDir>;
  let data: ReturnType<typeof tempDir>;
  let dir: string;

  before(async () => {
    kb = tempDir();
    data = tempDir();
    writeFiveArticleKb(kb.dir);
    dir = (await buildIndex({ kbDir: kb.dir, dataDir: data.dir, embedder, defaultLang: 'en' })).snapshotDir!;
  });
  after(() => {
    kb.cleanup();
    data.cleanup();
  });

  it('leaves every later answer as an index never warmed gives it, to the last digit', async () => {
    const warmed = await openSnapshot(dir, embedder);
    await warmUp(warmed, 'en');
    expect(await answersOf(warmed)).to.deep.equal(await answersOf(await openSnapshot(dir, embedder)));
  });

  it('lets the event loop go between its steps: a server warms a newly published index up while it answers', async () => {
    const index = await openSnapshot(dir, embedder);
    let ran = false;
    setImmediate(() => (ran = true));
    const warming = warmUp(index, 'en');
    // Answering alone awaits nothing that waits for the event loop: a callback queued before it would run after it.
    expect(ran).to.equal(false);
    await warming;
    expect(ran).to.equal(true);
  });

  it('only logs a failure to answer: the index is served, and its first question answers or fails as it would have', async () => {
    const broken = { articles: new Map([['a', { title: 'Reset your password' }]]) } as unknown as EngineIndex;
    const { lines } = await logged(() => warmUp(broken, 'en'));
    expect(lines.join('')).to.include('warm the index up failed');
  });
});
