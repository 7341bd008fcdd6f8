import { expect } from 'chai';
import { postJson, startTestServer } from '../helpers/server.ts';
import { tempDir } from '../helpers/tempDir.ts';

describe('a conversation across a server restart', function () {
  this.timeout(60_000);

  it('continues where it stopped: a ticket opened right after the restart carries the turns and the "No" before it', async () => {
    const data = tempDir();
    try {
      const before = await startTestServer({ env: { DATA_DIR: data.dir } });
      const ask = await postJson(`${before.url}/api/ask`, { question: 'how do I set up the VPN?' });
      const cid = ask.body.conversationId;
      await postJson(`${before.url}/api/feedback`, { conversationId: cid, articleId: 'vpn-setup-en', helpful: false });
      await before.close();

      const after = await startTestServer({ env: { DATA_DIR: data.dir } });
      try {
        const ticket = await postJson(`${after.url}/api/tickets`, {
          conversationId: cid,
          email: 'ana@example.com',
          name: 'Ana',
        });
        expect(ticket.status).to.equal(201);
        const t = await after.deps.tickets.get(ticket.body.id);
        expect(t.transcript.map((x) => x.role)).to.deep.equal(['user', 'bot', 'user', 'bot']);
        expect(t.transcript[0]!.text).to.equal('how do I set up the VPN?');
        expect(t.reason).to.equal('not_helpful');
        // And a conversation begun after the restart goes on as any other.
        const fresh = await postJson(`${after.url}/api/ask`, { question: 'olvidé mi contraseña' });
        expect(fresh.body.answer.articleId).to.equal('reset-password');
        await postJson(`${after.url}/api/ask`, { question: 'and the VPN?', conversationId: fresh.body.conversationId });
        expect((await after.core.conversations.get(fresh.body.conversationId))?.turns).to.have.length(4);
      } finally {
        await after.close();
      }
    } finally {
      data.cleanup();
    }
  });
});
