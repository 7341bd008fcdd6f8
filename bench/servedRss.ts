import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startServerProcess } from '../test/helpers/child.ts';

/**
 * The resident memory of a served snapshot: the compiled server (what
 * `npm start` runs: dist/server/main.mjs of `--cwd`, compiled beforehand with
 * `npm run prestart`, with the node flags of that checkout's `npm start`, and
 * `--node-args` after them) started on KB_DIR/DATA_DIR, its VmRSS and CPU read from
 * /proc at "ready" and after `--settle` idle seconds (V8 collects the start's
 * garbage and returns memory when idle: RSS at "ready" counts what the next
 * GC frees), then again after `--asks` varied questions (every k-th of
 * `--questions`, listed, reworded and unrelated alike, `--concurrency` at a
 * time) and after idling, and once more after a `/api/search` per 50 asks.
 * Linux only.
 *
 *   KB_DIR=… DATA_DIR=… npx tsx bench/servedRss.ts --questions FILE [--asks 2000] [--settle 10] [--cwd CHECKOUT] [--port 4630]
 *     [--node-args '--flag …']
 */
export async function measureServedRss(options: {
  env: Record<string, string>;
  cwd: string;
  questions: string[];
  asks: number;
  concurrency: number;
  /** How long the server is left idle before a settled sample (V8 collects and returns memory when idle). */
  settleMs: number;
  /** Node's own flags, before the entry: `npm start`'s. */
  nodeArgs?: string[];
}): Promise<{ ready: Sample; settled: Sample; asked: Sample; askedSettled: Sample; searched: Sample }> {
  const server = await startServerProcess(options.env, 3_600_000, {
    cwd: options.cwd,
    entry: path.join(options.cwd, 'dist/server/main.mjs'),
    nodeArgs: options.nodeArgs,
  });
  try {
    const pid = server.child.pid!;
    const ready = sample(pid);
    const idle = () => new Promise((resolve) => setTimeout(resolve, options.settleMs));
    await idle();
    const settled = sample(pid);
    const picked = pick(options.questions, options.asks);
    let next = 0;
    const post = async (route: string, body: unknown) => {
      const res = await fetch(`${server.url}${route}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (!res.ok) throw new Error(`${route} answered ${res.status}`);
      await res.arrayBuffer();
    };
    await Promise.all(
      Array.from({ length: options.concurrency }, async () => {
        while (next < picked.length) await post('/api/ask', { question: picked[next++] });
      }),
    );
    const asked = sample(pid);
    await idle();
    const askedSettled = sample(pid);
    for (let i = 0; i < picked.length; i += 50) {
      const res = await fetch(`${server.url}/api/search?q=${encodeURIComponent(picked[i]!)}`);
      if (!res.ok) throw new Error(`/api/search answered ${res.status}`);
      await res.arrayBuffer();
    }
    return { ready, settled, asked, askedSettled, searched: sample(pid) };
  } finally {
    server.child.kill('SIGTERM');
    await server.exited;
  }
}

export interface Sample {
  rssMb: number;
  peakRssMb: number;
  cpuSeconds: number;
}

/** VmRSS, VmHWM and user + system CPU of a process now. */
function sample(pid: number): Sample {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(status.match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'))![1]);
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return {
    rssMb: kb('VmRSS') / 1024,
    peakRssMb: kb('VmHWM') / 1024,
    cpuSeconds: (Number(fields[11]) + Number(fields[12])) / 100,
  };
}

/** The node flags `npm start` of a checkout passes (package.json `start`: `node FLAGS… dist/server/main.mjs`). */
export function startNodeArgs(checkout: string): string[] {
  const pkg = JSON.parse(readFileSync(path.join(checkout, 'package.json'), 'utf8')) as { scripts: { start: string } };
  const words = pkg.scripts.start.trim().split(/\s+/);
  if (words[0] !== 'node' || !words.at(-1)!.endsWith('main.mjs'))
    throw new Error(`npm start is not "node … main.mjs" in ${checkout}: ${pkg.scripts.start}`);
  return words.slice(1, -1);
}

/** `n` questions spread evenly over the list (it interleaves listed, reworded and unrelated ones). */
function pick(all: string[], n: number): string[] {
  const step = Math.max(1, Math.floor(all.length / n));
  const out: string[] = [];
  for (let i = 0; i < all.length && out.length < n; i += step) out.push(all[i]!);
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (name: string, fallback?: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? process.argv[i + 1]! : fallback;
  };
  const questionsFile = arg('questions');
  if (!questionsFile) throw new Error('--questions FILE (a JSON list of { text })');
  const questions = (JSON.parse(readFileSync(questionsFile, 'utf8')) as { text: string }[]).map((q) => q.text);
  const env = {
    KB_DIR: process.env.KB_DIR ?? 'kb-content',
    DATA_DIR: process.env.DATA_DIR ?? 'data',
    PORT: arg('port', '0')!,
    LOG_LEVEL: 'warn',
  };
  const cwd = path.resolve(arg('cwd', '.')!);
  const nodeArgs = [...startNodeArgs(cwd), ...arg('node-args', '')!.split(' ').filter(Boolean)];
  const r = await measureServedRss({
    env,
    cwd,
    nodeArgs,
    questions,
    asks: Number(arg('asks', '2000')),
    concurrency: Number(arg('concurrency', '4')),
    settleMs: Number(arg('settle', '10')) * 1000,
  });
  const f = (s: Sample) =>
    `RSS ${s.rssMb.toFixed(0)} MB (peak ${s.peakRssMb.toFixed(0)}), CPU ${s.cpuSeconds.toFixed(1)} s`;
  console.log(
    `node ${nodeArgs.join(' ')}: ready: ${f(r.ready)}; idle: ${f(r.settled)}; after asks: ${f(r.asked)}; idle: ${f(r.askedSettled)}; after searches: ${f(r.searched)} (load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')})`,
  );
}
