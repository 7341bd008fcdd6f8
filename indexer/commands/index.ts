import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { configFromEnv } from '../../core/config/index.ts';
import { createEmbedder } from '../../core/createCore.ts';
import { buildIndex } from '../../core/indexing/buildIndex.ts';
import { lockDataDir } from '../../core/storage/dataDirLock.ts';
import { printProblems } from '../present.ts';

export const summary = 'Validate, chunk, embed and publish the KB to the search indexes (--rebuild to re-embed everything)';

export async function run(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { rebuild: { type: 'boolean', default: false }, kb: { type: 'string' } } });
  const config = configFromEnv();
  const kbDir = values.kb ?? config.kbDir;
  // One index builder at a time per data directory; the server may keep serving meanwhile.
  const unlock = await lockDataDir(config.dataDir, 'indexer');
  const bar = process.stderr.isTTY ? new cliProgress.SingleBar({ format: 'Embedding [{bar}] {value}/{total} vectors', stream: process.stderr }, cliProgress.Presets.shades_classic) : null;
  try {
    let started = false;
    const result = await buildIndex({
      kbDir,
      dataDir: config.dataDir,
      embedder: createEmbedder(config),
      defaultLang: config.defaultLang,
      rebuild: values.rebuild,
      onProgress: (done, total) => {
        if (!bar) return;
        if (!started) bar.start(total, 0);
        started = true;
        bar.update(done);
      },
    });
    bar?.stop();
    printProblems(result.problems);
    const skipped = new Set(result.problems.filter((p) => p.severity === 'error').map((p) => p.file)).size;
    process.stdout.write(
      `Indexed ${result.articles} articles (${result.chunks} chunks, ${result.vectors} vectors: ${result.embedded} embedded, ${result.reused} reused), ${result.removed} removed, ${skipped} skipped, in ${(result.ms / 1000).toFixed(2)} s\n` +
        `Snapshot: ${result.snapshotDir}\n`,
    );
    return 0;
  } finally {
    bar?.stop();
    await unlock();
  }
}
