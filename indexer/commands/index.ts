import type { SelfService } from '../../core/answers/pipeline/calibration.ts';
import { watch } from 'node:fs';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { configFromEnv } from '../../core/config/index.ts';
import { createEmbedder, createWordVectors, initEmbedder } from '../../core/createCore.ts';
import { buildIndex } from '../../core/indexing/buildIndex.ts';
import { pushToMeili } from '../../core/indexing/publishMeili.ts';
import { lockDataDir } from '../../core/storage/dataDirLock.ts';
import { openStores } from '../../core/storage/openStores.ts';
import { coverageLine, printProblems } from '../present.ts';

export const summary =
  'Validate, chunk, embed and publish the KB (--rebuild: re-embed everything; --watch: republish on every change)';

/** Edits arrive as bursts of file events; wait this long for the burst to end. */
const WATCH_DEBOUNCE_MS = 150;

export async function run(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      rebuild: { type: 'boolean', default: false },
      watch: { type: 'boolean', default: false },
      kb: { type: 'string' },
    },
  });
  const config = configFromEnv();
  const kbDir = values.kb ?? config.kbDir;
  const embedder = await initEmbedder(createEmbedder(config));
  const wordVectors = await createWordVectors(config);
  // One index builder at a time per data directory; the server keeps serving and follows CURRENT.
  const unlock = await lockDataDir(config.dataDir, 'indexer');
  // DATABASE_URL set: publish to PostgreSQL, where every instance follows it; else DATA_DIR's CURRENT is the publication.
  const stores = config.storage?.databaseUrl ? await openStores(config).catch(failed(unlock)) : null;

  const buildOnce = async (rebuild: boolean) => {
    const bar =
      process.stderr.isTTY && !values.watch
        ? new cliProgress.SingleBar(
            { format: 'Embedding [{bar}] {value}/{total} vectors', stream: process.stderr },
            cliProgress.Presets.shades_classic,
          )
        : null;
    let started = false;
    try {
      const result = await buildIndex({
        kbDir,
        dataDir: config.dataDir,
        embedder,
        wordVectors,
        defaultLang: config.defaultLang,
        rebuild,
        ...(stores ? { publication: stores.snapshots } : {}),
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
          `Snapshot: ${result.snapshotDir}\n` +
          (result.published && stores
            ? `Published to PostgreSQL (revision ${result.published.revision}): every instance serves it within seconds\n`
            : '') +
          coverageLine(result.index.manifest.calibration.selfService?.coverage, result.index.manifest.createdAt) +
          selfServiceLine(result.index.manifest.calibration.selfService),
      );
      // MEILI_HOST set: the same KB goes to Meilisearch (incremental; --rebuild swaps in a fresh index).
      if (config.backends.meili)
        process.stdout.write(`${await pushToMeili(config.backends.meili, result.index, rebuild)}\n`);
    } finally {
      bar?.stop();
    }
  };

  try {
    // Start from the published snapshot, so unchanged articles keep their vectors on any machine.
    if (stores && !values.rebuild) await stores.snapshots.pull();
    await buildOnce(values.rebuild);
    if (!values.watch) return 0;
    process.stdout.write(`Watching ${kbDir} for changes (Ctrl-C to stop)\n`);
    await new Promise<void>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      let running: Promise<void> = Promise.resolve();
      const watcher = watch(kbDir, { recursive: true }, () => {
        clearTimeout(timer);
        timer = setTimeout(() => {
          running = running
            .then(() => buildOnce(false))
            .catch((error: Error) => {
              process.stderr.write(`index failed: ${error.message}\n`);
            });
        }, WATCH_DEBOUNCE_MS);
      });
      for (const signal of ['SIGINT', 'SIGTERM'] as const)
        process.once(signal, () => {
          watcher.close();
          void running.finally(resolve);
        });
    });
    return 0;
  } finally {
    await stores?.close();
    await unlock();
  }
}

/** Release the lock when opening the stores fails, and pass the failure on. */
function failed(unlock: () => Promise<void>) {
  return async (error: unknown): Promise<never> => {
    await unlock();
    throw error;
  };
}

/** Where the operator's effort pays most: the articles the engine is least sure it can answer from. */
function selfServiceLine(s: SelfService | undefined): string {
  if (!s?.weakest.length) return '';
  return `Articles that would gain most from listed questions (the engine is least sure it can answer them): ${s.weakest.slice(0, 10).join(', ')}${s.weakest.length > 10 ? ', …' : ''}\n`;
}
