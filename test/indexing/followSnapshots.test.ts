import { expect } from 'chai';
import { buildIndex } from '../../core/indexing/buildIndex.ts';
import { HashingEmbedder } from '../../core/search/hashingEmbedder.ts';
import { buildArticle, writeKb } from '../helpers/articles.ts';
import { eventually } from '../helpers/eventually.ts';
import { postJson, startTestServer } from '../helpers/server.ts';
import { tempDir } from '../helpers/tempDir.ts';

describe('a running server and the indexer', function () {
  this.timeout(60_000);

  it('serves a snapshot published by the indexer without a restart', async () => {
    const kb = tempDir();
    writeKb(kb.dir, {
      'a.md': buildArticle({ id: 'a', title: 'Reset your password', questions: ['I forgot my password'] }),
      'b.md': buildArticle({
        id: 'b',
        title: 'Set up the VPN',
        questions: ['how do I set up the VPN'],
        answer: 'Install the VPN client.',
      }),
    });
    const s = await startTestServer({ kbDir: kb.dir });
    try {
      const before = await postJson(`${s.url}/api/ask`, { question: 'how do I book a meeting room?' });
      expect(before.body.action).to.equal('ticket');
      writeKb(kb.dir, {
        'c.md': buildArticle({
          id: 'c',
          title: 'Book a meeting room',
          questions: ['how do I book a meeting room'],
          answer: 'Use the Rooms tab in Outlook.',
        }),
      });
      // What `npm run index` does in another process.
      await buildIndex({
        kbDir: kb.dir,
        dataDir: s.config.dataDir,
        embedder: new HashingEmbedder(),
        defaultLang: 'en',
      });
      const answered = async () =>
        (await postJson(`${s.url}/api/ask`, { question: 'how do I book a meeting room?' })).body.answer?.articleId;
      await eventually(async () => (await answered()) === 'c', {
        timeoutMs: 10_000,
        intervalMs: 100,
        what: 'the new snapshot to answer',
      });
    } finally {
      await s.close();
      kb.cleanup();
    }
  });
});
