import { spawn, execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parseArticle } from '../core/articles/parseArticle.ts';
import { startServerProcess } from '../test/helpers/child.ts';
import { tempDir } from '../test/helpers/tempDir.ts';
import { writeRealisticKb } from './realisticKb.ts';

/** One measured change: from saving the file to the server answering accordingly, then to the full build served. */
export interface WatchStep {
  step: 'add' | 'edit' | 'delete';
  /** Wall seconds until the server answers as the change says. */
  answerable: number;
  /** Wall seconds until the server logged serving the change (a delta, or a new snapshot), and what it logged it took. */
  served: number | null;
  servedLog: string;
  /** Wall seconds of the ask that found the change answered (on a loaded machine most of `answerable`). */
  lastAsk: number;
  /** CPU seconds (user + system) of the server and of the indexer (with its children) until then. */
  serverCpu: number;
  indexerCpu: number;
  /** Wall seconds until the snapshot the server serves is a full build with the change (null: not waited for). */
  converged: number | null;
  convergedCpu: number | null;
  load: number;
}

const NEW_ARTICLE = `---\nid: bench-new\ntitle: Book the rooftop terrace for a team event\nlang: en\nquestions:\n  - how do I book the rooftop terrace\nanswer: Use the Spaces app and pick Rooftop.\n---\n# Book the rooftop terrace\n\nUse the Spaces app.\n`;
const NEW_QUESTION = 'how do I borrow a cargo bike from the facilities desk';

/**
 * From saving an article to the server answering with it, with the indexer
 * in watch mode beside a running server (the path an editor takes), for an
 * added, an edited and a deleted article. `kb`/`data`: an existing KB and
 * its index (copied, mtimes kept, so a current index is not rebuilt);
 * otherwise a realistic KB of `articles` is written and indexed. `cwd`: run
 * another checkout's server and indexer (the before of a comparison).
 */
export async function benchWatchLatency(options: {
  articles?: number;
  kb?: string;
  data?: string;
  cwd?: string;
  steps?: WatchStep['step'][];
  converge?: boolean;
  /** More arguments for `index --watch` (this checkout's `--full-after`, say). */
  watchArgs?: string[];
}): Promise<WatchStep[]> {
  const kb = tempDir('deflect-bench-kb-');
  const data = tempDir('deflect-bench-data-');
  if (options.kb) execFileSync('cp', ['-a', `${options.kb}/.`, kb.dir]);
  else writeRealisticKb(kb.dir, options.articles ?? 1000);
  if (options.data) execFileSync('cp', ['-a', `${options.data}/.`, data.dir]);
  const env = { KB_DIR: kb.dir, DATA_DIR: data.dir, LOG_LEVEL: 'error' };
  const cwd = options.cwd ?? process.cwd();
  // The server logs at info: its "serving …" lines say when the change was served, apart from the asks' own time.
  const server = await startServerProcess({ ...env, LOG_LEVEL: 'info' }, 3_600_000, { cwd });
  const watcher = spawn(
    process.execPath,
    ['--import', 'tsx', 'indexer/cli.ts', 'index', '--watch', ...(options.watchArgs ?? [])],
    {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let watcherOutput = '';
  watcher.stdout.on('data', (d: Buffer) => (watcherOutput += d.toString()));
  watcher.stderr.on('data', (d: Buffer) => (watcherOutput += d.toString()));
  const ask = async (question: string) => {
    const res = await fetch(`${server.url}/api/ask`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ question }),
    });
    return ((await res.json()) as { answer?: { articleId: string } }).answer?.articleId;
  };
  const served = async () =>
    ((await (await fetch(`${server.url}/healthz`)).json()) as { index: { snapshot: string | null } }).index.snapshot;
  const current = () => readFileSync(path.join(data.dir, 'index', 'CURRENT'), 'utf8').trim();
  const cpu = () => ({ server: treeCpu(server.child.pid!), indexer: treeCpu(watcher.pid!) });
  const results: WatchStep[] = [];
  try {
    for (let i = 0; i < 36_000 && !/Watching/.test(watcherOutput); i++) await sleep(100);
    if (!/Watching/.test(watcherOutput)) throw new Error(`the watcher never started:\n${watcherOutput}`);
    // The server may still be loading the snapshot the watcher's first build published.
    while ((await served()) !== current()) await sleep(200);
    const edited = firstArticle(kb.dir);
    for (const step of options.steps ?? ['add', 'edit', 'delete']) {
      const before = cpu();
      const load = loadavg()[0]!;
      const snapshot = await served();
      const t = performance.now();
      const wrote = Date.now();
      let done: () => Promise<boolean>;
      if (step === 'add') {
        writeFileSync(path.join(kb.dir, 'part-0', 'bench-new.md'), NEW_ARTICLE);
        done = async () => (await ask('how do I book the rooftop terrace?')) === 'bench-new';
      } else if (step === 'edit') {
        writeFileSync(edited.file, withNewQuestion(edited.source, NEW_QUESTION));
        done = async () => (await ask(`${NEW_QUESTION}?`)) === edited.id;
      } else {
        rmSync(path.join(kb.dir, 'part-0', 'bench-new.md'));
        done = async () => (await ask('how do I book the rooftop terrace?')) !== 'bench-new';
      }
      let lastAsk = 0;
      for (;;) {
        const asked = performance.now();
        const ok = await done();
        lastAsk = (performance.now() - asked) / 1000;
        if (ok) break;
        if (performance.now() - t > 3_600_000) throw new Error(`${step}: never answerable\n${watcherOutput}`);
        await sleep(50);
      }
      const answerable = (performance.now() - t) / 1000;
      const after = cpu();
      const servedLine = servedSince(server.output(), wrote);
      let converged: number | null = null;
      let convergedCpu: number | null = null;
      if (options.converge ?? true) {
        // Converged: the server serves the latest full snapshot, made after this change, and no delta is left.
        for (;;) {
          const s = await served();
          if (s !== snapshot && s === current() && !existsSync(path.join(data.dir, 'index', 'DELTA'))) break;
          await sleep(200);
        }
        converged = (performance.now() - t) / 1000;
        const end = cpu();
        convergedCpu = end.server + end.indexer - before.server - before.indexer;
      }
      results.push({
        step,
        answerable,
        served: servedLine ? (servedLine.at - wrote) / 1000 : null,
        servedLog: servedLine?.took ?? '',
        lastAsk,
        serverCpu: after.server - before.server,
        indexerCpu: after.indexer - before.indexer,
        converged,
        convergedCpu,
        load,
      });
    }
    return results;
  } finally {
    watcher.kill('SIGTERM');
    server.child.kill('SIGTERM');
    await Promise.all([new Promise((r) => watcher.once('exit', r)), server.exited]);
    kb.cleanup();
    data.cleanup();
  }
}

/** The server's first "serving a new index snapshot / an index delta" log line at or after `since` (ms). */
function servedSince(output: string, since: number): { at: number; took: string } | null {
  for (const line of output.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const entry = JSON.parse(line) as { time: string; message: string; loadMs?: number; applyMs?: number };
      const at = Date.parse(entry.time);
      if (at < since || !/^serving (a new index snapshot|an index delta)$/.test(entry.message)) continue;
      return {
        at,
        took: entry.applyMs !== undefined ? `applied in ${entry.applyMs} ms` : `loaded in ${entry.loadMs} ms`,
      };
    } catch {
      // not a log line
    }
  }
  return null;
}

/** CPU seconds (user + system) of a process, its live descendants, and the children it has waited for. */
function treeCpu(root: number): number {
  const stats = new Map<number, { ppid: number; ticks: number; reaped: number }>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const text = readFileSync(`/proc/${name}/stat`, 'utf8');
      const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
      // After the command: state ppid … utime(14) stime(15) cutime(16) cstime(17), numbered from 1 with pid and comm.
      stats.set(Number(name), {
        ppid: Number(f[1]),
        ticks: Number(f[11]) + Number(f[12]),
        reaped: Number(f[13]) + Number(f[14]),
      });
    } catch {
      // exited meanwhile
    }
  }
  let ticks = 0;
  const visit = (pid: number) => {
    const s = stats.get(pid);
    if (!s) return;
    ticks += s.ticks + s.reaped;
    for (const [child, c] of stats) if (c.ppid === pid) visit(child);
  };
  visit(root);
  return ticks / 100;
}

/** The first article of the KB's first folder, to edit. */
function firstArticle(kb: string): { file: string; id: string; source: string } {
  const file = path.join(
    kb,
    'part-0',
    readdirSync(path.join(kb, 'part-0'))
      .filter((f) => f.endsWith('.md'))
      .sort()[0]!,
  );
  const source = readFileSync(file, 'utf8');
  const parsed = parseArticle(path.relative(kb, file), source, { defaultLang: 'en' });
  if (!parsed.article) throw new Error(`${file} is not an article`);
  return { file, id: parsed.article.id, source };
}

/** The article's source with `question` as its first listed question (and nothing else changed). */
function withNewQuestion(source: string, question: string): string {
  const out = source.replace(/^questions:\n/m, `questions:\n  - ${question}\n`);
  if (out === source) throw new Error('the article to edit lists no questions');
  return out;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      kb: { type: 'string' },
      data: { type: 'string' },
      cwd: { type: 'string' },
      steps: { type: 'string' },
      'no-converge': { type: 'boolean', default: false },
      'watch-args': { type: 'string' },
    },
  });
  const results = await benchWatchLatency({
    articles: Number(positionals[0] ?? 1000),
    ...(values.kb ? { kb: values.kb } : {}),
    ...(values.data ? { data: values.data } : {}),
    ...(values.cwd ? { cwd: values.cwd } : {}),
    ...(values.steps ? { steps: values.steps.split(',') as WatchStep['step'][] } : {}),
    converge: !values['no-converge'],
    ...(values['watch-args'] ? { watchArgs: values['watch-args'].split(' ') } : {}),
  });
  for (const r of results)
    console.log(
      `${r.step}: answerable after ${r.answerable.toFixed(2)} s wall, of which the answering ask ${r.lastAsk.toFixed(2)} s; served after ${r.served?.toFixed(2) ?? '?'} s (${r.servedLog}) (CPU: server ${r.serverCpu.toFixed(2)} s, indexer ${r.indexerCpu.toFixed(2)} s)` +
        (r.converged === null
          ? ''
          : `; full build served after ${r.converged.toFixed(1)} s wall, ${r.convergedCpu!.toFixed(1)} s CPU`) +
        `; load ${r.load.toFixed(1)}`,
    );
}
