import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { runProcess, startServerProcess } from '../test/helpers/child.ts';
import { tempDir } from '../test/helpers/tempDir.ts';
import { writeRealisticKb } from './realisticKb.ts';

/**
 * From saving an article to the server answering with it, with the indexer in
 * watch mode beside a running server (the path an editor takes). Returns seconds.
 */
export async function benchWatchLatency(articles = 1000): Promise<number> {
  const kb = tempDir('deflect-bench-kb-');
  const data = tempDir('deflect-bench-data-');
  writeRealisticKb(kb.dir, articles);
  const env = { KB_DIR: kb.dir, DATA_DIR: data.dir, LOG_LEVEL: 'error' };
  const server = await startServerProcess(env, 600_000);
  const watcher = runProcess(['indexer/cli.ts', 'index', '--watch'], env);
  let watcherOutput = '';
  watcher.child.stdout!.on('data', (d: Buffer) => (watcherOutput += d.toString()));
  try {
    // Wait until the watcher has published its first snapshot and is watching.
    for (let i = 0; i < 6000 && !/Watching/.test(watcherOutput); i++) await new Promise((r) => setTimeout(r, 100));
    const file = path.join(kb.dir, 'part-0', 'new-article.md');
    const t = performance.now();
    writeFileSync(
      file,
      `---\nid: bench-new\ntitle: Book the rooftop terrace for a team event\nlang: en\nquestions:\n  - how do I book the rooftop terrace\nanswer: Use the Spaces app and pick Rooftop.\n---\n# Book the rooftop terrace\n\nUse the Spaces app.\n`,
    );
    for (;;) {
      const res = await fetch(`${server.url}/api/ask`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ question: 'how do I book the rooftop terrace?' }),
      });
      const body = (await res.json()) as { answer?: { articleId: string } };
      if (body.answer?.articleId === 'bench-new') return (performance.now() - t) / 1000;
      if (performance.now() - t > 120_000) throw new Error('the edited article never became answerable');
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    watcher.child.kill('SIGTERM');
    server.child.kill('SIGTERM');
    await Promise.all([watcher.done, server.exited]);
    kb.cleanup();
    data.cleanup();
  }
}

if (import.meta.url === `file://${process.argv[1]}`)
  console.log(
    `edited article answerable after ${(await benchWatchLatency(Number(process.argv[2] ?? 1000))).toFixed(2)} s`,
  );
