import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { buildArticle, writeKb } from '../helpers/articles.ts';
import { runProcess, startServerProcess } from '../helpers/child.ts';
import { eventually } from '../helpers/eventually.ts';
import { tempDir } from '../helpers/tempDir.ts';

describe('npm run index -- --watch beside a running server', function () {
  this.timeout(300_000);

  it('serves an added article from a delta, then from the full build that replaces it', async () => {
    const kb = tempDir();
    const data = tempDir();
    writeKb(kb.dir, {
      'vpn.md': buildArticle({ id: 'vpn', title: 'Set up the VPN', questions: ['how do I set up the VPN'] }),
      'printer.md': buildArticle({ id: 'printer', title: 'Add a printer', questions: ['how do I add a printer'] }),
    });
    // Warnings kept: a delta or a snapshot the server could not take says why in its output (printed on a failure).
    const env = { KB_DIR: kb.dir, DATA_DIR: data.dir, LOG_LEVEL: 'warn' };
    const server = await startServerProcess(env, 120_000);
    const watcher = runProcess(['indexer/cli.ts', 'index', '--watch', '--full-after', '0.5'], env);
    let output = '';
    watcher.child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    watcher.child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    const ask = async (question: string) => {
      const res = await fetch(`${server.url}/api/ask`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ question }),
      });
      return ((await res.json()) as { answer?: { articleId: string } }).answer?.articleId;
    };
    try {
      await eventually(async () => /Watching/.test(output), { timeoutMs: 120_000, what: 'the watcher to start' });
      writeFileSync(
        path.join(kb.dir, 'rooftop.md'),
        buildArticle({
          id: 'rooftop',
          title: 'Book the rooftop terrace',
          questions: ['how do I book the rooftop terrace'],
        }),
      );
      await eventually(async () => (await ask('how do I book the rooftop terrace?')) === 'rooftop', {
        timeoutMs: 60_000,
        intervalMs: 50,
        what: 'the added article to be answered',
      }).catch((error: Error) => {
        // Seen once in CI and not since: what both processes said is what tells a missed change from a failed load.
        throw new Error(`${error.message}\nwatcher:\n${output}\nserver:\n${server.output()}`, { cause: error });
      });
      expect(output).to.match(/Delta published: \+rooftop/);
      await eventually(async () => /Full build published; no delta left/.test(output), {
        timeoutMs: 180_000,
        what: `the full build to land:\n${output}`,
      });
      await eventually(async () => (await ask('how do I book the rooftop terrace?')) === 'rooftop', {
        timeoutMs: 60_000,
        what: 'the full build to answer the same',
      });
    } finally {
      watcher.child.kill('SIGTERM');
      server.child.kill('SIGTERM');
      await Promise.all([watcher.done, server.exited]);
      kb.cleanup();
      data.cleanup();
    }
  });
});
