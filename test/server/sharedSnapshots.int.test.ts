import { expect } from 'chai';
import path from 'node:path';
import { buildArticle, writeKb } from '../helpers/articles.ts';
import { runProcess } from '../helpers/child.ts';
import { eventually } from '../helpers/eventually.ts';
import { freshDatabase, postgresUnavailable, skipWhen } from '../helpers/services.ts';
import { getJson, postJson, startTestServer, type TestServer } from '../helpers/server.ts';
import { tempDir } from '../helpers/tempDir.ts';

/**
 * Issue 15's published index snapshots: instances on one PostgreSQL
 * database, each with its own empty DATA_DIR, serve one snapshot, and a KB
 * edit published by `npm run index` reaches all of them without a restart.
 */
describe('index snapshots published through PostgreSQL', function () {
  this.timeout(300_000);
  const servers: TestServer[] = [];
  const kb = tempDir();
  let db: { url: string; drop(): Promise<void> } | undefined;
  let env: Record<string, string> = {};
  const served = (s: TestServer) => path.basename(s.core.index.get().snapshotDir!);
  const answerTo = async (s: TestServer, question: string) =>
    (await postJson(`${s.url}/api/ask`, { question })).body.answer?.articleId as string | undefined;

  before(async function () {
    const reason = await postgresUnavailable();
    skipWhen(reason, this);
    writeKb(kb.dir, {
      'a.md': buildArticle({ id: 'a', title: 'Reset your password', questions: ['I forgot my password'] }),
      'b.md': buildArticle({
        id: 'b',
        title: 'Set up the VPN',
        questions: ['how do I set up the VPN'],
        answer: 'Install the VPN client.',
      }),
    });
    db = await freshDatabase();
    env = { DATABASE_URL: db.url, WORD_VECTORS: 'off' };
    // Started together on an empty database: one builds and publishes, the other waits and serves it.
    servers.push(
      ...(await Promise.all([startTestServer({ kbDir: kb.dir, env }), startTestServer({ kbDir: kb.dir, env })])),
    );
  });

  after(async () => {
    for (const s of servers) await s.close();
    await db?.drop();
    kb.cleanup();
  });

  it('two instances starting together build the index once and serve the same snapshot', async () => {
    const [one, two] = servers;
    const published = await one!.core.snapshots.kept();
    expect(published).to.have.length(1);
    expect(served(one!)).to.equal(published[0]!.id);
    expect(served(two!)).to.equal(published[0]!.id);
  });

  it('an instance starting with an empty DATA_DIR serves the published snapshot without building one', async () => {
    const before = await servers[0]!.core.snapshots.current();
    const three = await startTestServer({ kbDir: kb.dir, env });
    servers.push(three);
    expect(served(three)).to.equal(before!.id);
    expect(await three.core.snapshots.kept()).to.have.length(1);
    expect(await answerTo(three, 'how do I set up the VPN?')).to.equal('b');
  });

  it('an edited KB published by `npm run index` is answered by every instance without a restart', async () => {
    const question = 'how do I book a meeting room?';
    for (const s of servers) expect(await answerTo(s, question)).to.equal(undefined);
    writeKb(kb.dir, {
      'c.md': buildArticle({
        id: 'c',
        title: 'Book a meeting room',
        questions: ['how do I book a meeting room'],
        answer: 'Use the Rooms tab in Outlook.',
      }),
    });
    const indexerData = tempDir();
    try {
      const { done } = runProcess(['indexer/cli.ts', 'index'], {
        ...env,
        KB_DIR: kb.dir,
        DATA_DIR: indexerData.dir,
        LOG_LEVEL: 'warn',
      });
      const { code, output } = await done;
      expect(code, output).to.equal(0);
      expect(output).to.match(/Published to PostgreSQL/);
      // It started from the published snapshot: only the new article was embedded.
      expect(output).to.match(/\d+ embedded, [1-9]\d* reused/);
    } finally {
      indexerData.cleanup();
    }
    const current = await servers[0]!.core.snapshots.current();
    for (const s of servers)
      await eventually(async () => (await answerTo(s, question)) === 'c', {
        timeoutMs: 30_000,
        intervalMs: 100,
        what: `${s.url} to answer from the new snapshot`,
      });
    for (const s of servers) expect((await getJson(`${s.url}/healthz`)).body.index.snapshot).to.equal(current!.id);
  });
});
