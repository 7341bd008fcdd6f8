import type { SelfService } from '../../core/answers/pipeline/calibration.ts';
import { spawn } from 'node:child_process';
import { watch } from 'node:fs';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { configFromEnv } from '../../core/config/index.ts';
import { createEmbedder, createWordVectors, initEmbedder } from '../../core/createCore.ts';
import { buildIndex } from '../../core/indexing/buildIndex.ts';
import { isIndexCurrentByStamp } from '../../core/indexing/indexStaleness.ts';
import { WatchDeltas, type DeltaRound } from '../../core/indexing/watchDeltas.ts';
import { pushToMeili } from '../../core/indexing/publishMeili.ts';
import { lockDataDir } from '../../core/storage/dataDirLock.ts';
import { openStores } from '../../core/storage/openStores.ts';
import { coverageLine, printProblems, stagesTable } from '../present.ts';

export const summary =
  'Validate, chunk, embed and publish the KB (--rebuild: re-embed everything; --watch: publish every change as a delta, then a full build)';

/** Edits arrive as bursts of file events; wait this long for the burst to end. */
const WATCH_DEBOUNCE_MS = 150;
/** After a delta, the full build that replaces it starts once the KB has been quiet this long (`--full-after`, seconds). */
const FULL_BUILD_AFTER_MS = 3000;

export async function run(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      rebuild: { type: 'boolean', default: false },
      watch: { type: 'boolean', default: false },
      kb: { type: 'string' },
      'full-after': { type: 'string' },
      // Internal: the background full build of a watcher, which holds the data directory's lock for it.
      'under-watch': { type: 'boolean', default: false },
    },
  });
  const config = configFromEnv();
  const kbDir = values.kb ?? config.kbDir;
  const embedder = await initEmbedder(createEmbedder(config));
  const wordVectors = await createWordVectors(config);
  // One index builder at a time per data directory; the server keeps serving and follows CURRENT.
  const unlock = values['under-watch'] ? async () => {} : await lockDataDir(config.dataDir, 'indexer');
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
          selfServiceLine(result.index.manifest.calibration.selfService) +
          stagesTable(result.stages),
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
    // Watching a KB whose snapshot is current: nothing to build before watching (minutes of CPU at 10k articles).
    const current =
      values.watch &&
      !values.rebuild &&
      !stores &&
      (await isIndexCurrentByStamp(kbDir, config.dataDir, embedder, wordVectors));
    if (current) process.stdout.write(`The published index is current with ${kbDir}\n`);
    else await buildOnce(values.rebuild);
    if (!values.watch) return 0;
    // On PostgreSQL every instance follows whole snapshots: no delta there yet, so each change is a full build.
    if (stores) return await watchFullBuilds(kbDir, () => buildOnce(false));
    const deltas = await WatchDeltas.open({
      kbDir,
      dataDir: config.dataDir,
      embedder,
      defaultLang: config.defaultLang,
    });
    const fullAfterMs = values['full-after'] === undefined ? FULL_BUILD_AFTER_MS : Number(values['full-after']) * 1000;
    return await watchDeltas(kbDir, deltas, fullAfterMs);
  } finally {
    await stores?.close();
    await unlock();
  }
}

/** Republish the whole KB on every change (the publication has no deltas). */
async function watchFullBuilds(kbDir: string, buildOnce: () => Promise<void>): Promise<number> {
  process.stdout.write(`Watching ${kbDir} for changes (Ctrl-C to stop)\n`);
  await new Promise<void>((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    let running: Promise<void> = Promise.resolve();
    const watcher = watch(kbDir, { recursive: true }, () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        running = running.then(buildOnce).catch((error: Error) => {
          process.stderr.write(`index failed: ${error.message}\n`);
        });
      }, WATCH_DEBOUNCE_MS);
    });
    onStop(() => {
      watcher.close();
      void running.finally(resolve);
    });
  });
  return 0;
}

/**
 * Publish each burst of changes as a delta the server applies in place
 * (seconds become milliseconds at 10k articles), then, once the KB is quiet,
 * a full build in a child process replaces it: answers converge to exactly
 * what a full build gives, and deltas keep flowing while it runs.
 */
async function watchDeltas(kbDir: string, deltas: WatchDeltas, fullAfterMs: number): Promise<number> {
  process.stdout.write(`Watching ${kbDir} for changes (Ctrl-C to stop)\n`);
  await new Promise<void>((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    let fullTimer: NodeJS.Timeout | undefined;
    let running: Promise<void> = Promise.resolve();
    let full: ReturnType<typeof spawn> | null = null;
    let stopping = false;
    const changed: (string | null)[] = [];
    const startFull = () => {
      clearTimeout(fullTimer);
      if (full || stopping) return; // the running build's end checks for changes it missed
      process.stdout.write('Full build started in the background\n');
      const child = spawn(
        process.execPath,
        [...process.execArgv, process.argv[1]!, 'index', '--kb', kbDir, '--under-watch'],
        {
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      full = child;
      child.stdout!.on('data', (d: Buffer) => process.stdout.write(d.toString().replace(/^(?=.)/gm, '[full build] ')));
      child.once('exit', (code) => {
        running = running.then(async () => {
          full = null;
          if (code !== 0) {
            if (!stopping) process.stderr.write(`full build failed (exit ${code}); the delta stays served\n`);
            return;
          }
          await deltas.rebase();
          process.stdout.write(
            deltas.pending
              ? 'Full build published; changes made while it ran stay a delta on it\n'
              : 'Full build published; no delta left\n',
          );
          if (deltas.pending) fullTimer = setTimeout(startFull, fullAfterMs);
        });
      });
    };
    const watcher = watch(kbDir, { recursive: true }, (_event, name) => {
      changed.push(name);
      clearTimeout(timer);
      timer = setTimeout(() => {
        const files = changed.splice(0);
        running = running
          .then(async () => {
            const round = await deltas.changed(files);
            printProblems(round.problems);
            if (round.published) process.stdout.write(deltaLine(round));
            clearTimeout(fullTimer);
            if (round.needsFullBuild) startFull();
            else if (deltas.pending) fullTimer = setTimeout(startFull, fullAfterMs);
          })
          .catch((error: Error) => {
            process.stderr.write(`index failed: ${error.message}\n`);
          });
      }, WATCH_DEBOUNCE_MS);
    });
    onStop(() => {
      stopping = true;
      watcher.close();
      clearTimeout(timer);
      clearTimeout(fullTimer);
      full?.kill('SIGTERM');
      void running.finally(resolve);
    });
  });
  return 0;
}

function deltaLine(r: DeltaRound): string {
  const names = [...r.upserted.map((id) => `+${id}`), ...r.removed.map((id) => `-${id}`)].join(' ');
  return `Delta published: ${names} (parse ${r.ms.parse.toFixed(0)} ms, embed ${r.ms.embed.toFixed(0)} ms, write ${r.ms.write.toFixed(0)} ms)\n`;
}

/** Run `stop` on the first Ctrl-C or SIGTERM. */
function onStop(stop: () => void): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, stop);
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
