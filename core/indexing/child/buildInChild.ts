import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Config } from '../../config/index.ts';
import { loggerSettings } from '../../logger.ts';
import type { BuildSummary } from '../buildIndex.ts';
import { indexChildUrl } from './indexChildUrl.mjs';

/**
 * From this many articles a server's first index build runs in a child process. A build's peak memory is
 * several times what serving the index takes, and a process keeps most of it once reached (V8's pages, the
 * allocator's arenas of the build's threads): a server that built 10k articles itself held 1.5 GB serving them,
 * against 0.65 GB opening the same snapshot (bench/RESULTS.md). Below it the build is small and quick, and runs
 * in the server's own process (a child costs a second or two of start).
 */
export const BUILD_CHILD_MIN_ARTICLES = 2000;

/** What the server sends the child: its config, whether to ignore the previous snapshot, how to log. */
export interface ChildRequest {
  config: Config;
  rebuild: boolean;
  logger: ReturnType<typeof loggerSettings>;
}

/** What the child built (what a server logs of a build, and the snapshot to open), or why it could not. */
export type ChildBuilt =
  | { summary: Pick<BuildSummary, 'articles' | 'vectors' | 'ms' | 'stages' | 'problems'> & { snapshotDir: string } }
  | { error: string };

/**
 * Build and publish the index of `config.kbDir` into `config.dataDir` in a child process, as `buildIndex` does
 * in this one; resolves with what it built once the child has exited, rejects with its error.
 */
export async function buildInChild(
  config: Config,
  options: { rebuild: boolean; entry?: URL },
): Promise<Extract<ChildBuilt, { summary: unknown }>['summary']> {
  // A 100k-article build needs more than V8's default heap (as `npm run index` allows it).
  const child = fork(fileURLToPath(options.entry ?? indexChildUrl), [], {
    execArgv: ['--max-old-space-size=16384'],
    serialization: 'advanced',
    stdio: 'inherit',
  });
  let built: ChildBuilt | undefined;
  child.once('message', (message: ChildBuilt) => (built = message));
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once('exit', resolve);
    child.once('error', reject);
  });
  const request: ChildRequest = { config, rebuild: options.rebuild, logger: loggerSettings() };
  child.send(request);
  const code = await exited;
  if (built && 'summary' in built) return built.summary;
  throw new Error(`the index build in a child process failed: ${built?.error ?? `it exited with code ${code}`}`);
}
