import { cpSync, readFileSync } from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import { loadKnowledgeBase } from '../core/articles/loadKb.ts';
import { startServerProcess } from '../test/helpers/child.ts';
import { tempDir } from '../test/helpers/tempDir.ts';

/**
 * CPU time the server process spends per request, for `POST /api/ask` and
 * `GET /healthz` in the same run: utime + stime of the server (every thread:
 * the event loop, GC, libuv's pool that runs the fsync) from /proc/<pid>/stat
 * before and after N requests, divided by N. It depends far less than req/s on
 * what else the machine's cores are doing, but not at all on nothing: a loaded
 * machine's caches and clock make every request dearer. So to compare two
 * versions, give `--baseline` another checkout (a `git worktree` of main):
 * both servers run side by side and take turns, round by round, and the
 * figures of one run compare. healthz/ask is the share of an ask that is the
 * HTTP stack alone.
 *
 *   npx tsx bench/askCpu.ts [--kb kb-content] [--requests 4000] [--rounds 3] [--baseline DIR] [--cpu-prof DIR]
 *     [--data DIR --kb KB --questions FILE] [--envs 'NAME=VALUE,…;NAME=VALUE,…'] [--ports P,P,…] [--compiled | --entry FILE]
 *
 * `--data`: serve that data directory's published index (copied for each
 * server) instead of building one, e.g. the 10k-article KB's; it needs `--kb`,
 * the folder it was built from (a server given another KB would find its
 * index stale and build one of that KB instead); `--ports`: each server's
 * port, in order (the baseline first), where the machine's ports are shared
 * out; otherwise each takes a free one; `--questions`:
 * a bench/realisticKb.ts question list to ask instead; `--envs`: one server
 * of this checkout per `;`-separated set of settings, side by side;
 * `--compiled`: each checkout's dist/server/main.mjs (`npm run prestart`
 * first), what `npm start` serves, instead of the sources through tsx;
 * `--entry FILE`: that file instead, run in each checkout's folder, e.g.
 * bench/servedWithoutEngine.ts, the server less the engine's CPU.
 *
 * Besides the whole process, it counts the server's main thread alone (what
 * one event loop can serve is 1 s over it) and this process's own CPU per ask
 * (autocannon, on the same cores); req/s is over each run's wall time.
 *
 * Questions: every phrasing the KB's articles list, reworded (lower case, a
 * greeting, a typo), and unrelated ones, in Spanish and English, asked without
 * a conversation and within conversations of three turns.
 */
export interface CpuRound {
  askUs: number;
  /** The server's main thread alone (the event loop: HTTP, and the engine unless ENGINE_THREADS moves it). */
  mainThreadUs: number;
  /** This process's CPU per ask: autocannon, the load generator, on the same cores. */
  generatorUs: number;
  healthUs: number;
  /** Requests over the run's wall time (autocannon's per-second average misreads short runs). */
  askRps: number;
  healthRps: number;
  askP95: number;
  askP99: number;
  errors: number;
}

export interface CpuResult {
  /** The checkout the server ran from ("." for this one). */
  checkout: string;
  requests: number;
  rounds: CpuRound[];
  askUs: number;
  healthUs: number;
  /** The server's resident memory after its last round (VmRSS: every thread's heap included). */
  rssMb: number;
}

const TICKS = 100; // USER_HZ: /proc reports CPU time in 1/100 s on Linux

export async function benchAskCpu(
  kbDir: string,
  options: {
    requests?: number;
    rounds?: number;
    checkouts?: string[];
    /** Extra environment per checkout (same order), e.g. ENGINE_THREADS: one checkout may appear twice. */
    envs?: Record<string, string>[];
    cpuProfDir?: string;
    dataDir?: string;
    questionsFile?: string;
    /** Run each checkout's compiled server (dist/server/main.mjs, from `npm run prestart`), as `npm start` does. */
    compiled?: boolean;
    /** Serve this file (through tsx, in each checkout's folder) instead of the server: bench/servedWithoutEngine.ts. */
    entry?: string;
  } = {},
): Promise<CpuResult[]> {
  const { requests = 4000, rounds = 3, checkouts = ['.'] } = options;
  const questions = options.questionsFile
    ? (JSON.parse(readFileSync(options.questionsFile, 'utf8')) as { text: string; articleId: string | null }[]).map(
        (q) => ({ text: q.text, lang: /[¿¡áéíóúñ]/.test(q.text) ? 'es' : 'en' }),
      )
    : await questionsOf(kbDir);
  const data = checkouts.map(() => tempDir('deflect-bench-cpu-'));
  if (options.dataDir)
    for (const d of data) cpSync(path.join(options.dataDir, 'index'), path.join(d.dir, 'index'), { recursive: true });
  // --cpu-prof: V8 writes each server's profile (open it in Chrome DevTools) when it stops.
  const nodeArgs = [
    ...(options.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfDir}`] : []),
    ...(options.entry ? ['--import', 'tsx'] : []),
  ];
  const servers: Awaited<ReturnType<typeof startServerProcess>>[] = [];
  try {
    for (const [i, cwd] of checkouts.entries())
      servers.push(
        await startServerProcess(
          { KB_DIR: path.resolve(kbDir), DATA_DIR: data[i]!.dir, LOG_LEVEL: 'error', ...options.envs?.[i] },
          3_600_000,
          {
            nodeArgs,
            cwd,
            entry: options.entry ?? (options.compiled ? path.join(cwd, 'dist/server/main.mjs') : undefined),
          },
        ),
      );
    // Warm-up: JIT, the engine's caches, the event file open.
    for (const server of servers) {
      await ask(server.url, questions, Math.min(requests, 2000));
      await health(server.url, Math.min(requests, 2000));
    }
    const out: CpuRound[][] = servers.map(() => []);
    for (let r = 0; r < rounds; r++)
      for (const [i, server] of servers.entries()) {
        const pid = server.child.pid!;
        let before = cpuTicks(pid);
        const h = await health(server.url, requests);
        const healthUs = ((cpuTicks(pid) - before) * 1e6) / TICKS / requests;
        before = cpuTicks(pid);
        const mainBefore = cpuTicks(pid, pid);
        const generatorBefore = process.cpuUsage();
        const a = await ask(server.url, questions, requests);
        const generator = process.cpuUsage(generatorBefore);
        const askUs = ((cpuTicks(pid) - before) * 1e6) / TICKS / requests;
        const mainThreadUs = ((cpuTicks(pid, pid) - mainBefore) * 1e6) / TICKS / requests;
        const generatorUs = (generator.user + generator.system) / requests;
        out[i]!.push({
          askUs,
          mainThreadUs,
          generatorUs,
          healthUs,
          askRps: a.requests.total / a.seconds,
          healthRps: h.requests.total / h.seconds,
          askP95: latencyP95(a),
          askP99: a.latency.p99,
          errors: a.errors + a.non2xx + h.errors + h.non2xx,
        });
      }
    const rss = servers.map(
      (s) => Number(readFileSync(`/proc/${s.child.pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)![1]) / 1024,
    );
    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
    return checkouts.map((checkout, i) => ({
      checkout:
        checkout +
        Object.entries(options.envs?.[i] ?? {})
          .map(([name, value]) => ` ${name}=${value}`)
          .join(''),
      requests,
      rounds: out[i]!,
      askUs: median(out[i]!.map((r) => r.askUs)),
      healthUs: median(out[i]!.map((r) => r.healthUs)),
      rssMb: rss[i]!,
    }));
  } finally {
    for (const server of servers) {
      server.child.kill('SIGTERM');
      await server.exited;
    }
    for (const d of data) d.cleanup();
  }
}

/** The 95th percentile of the response times one by one (autocannon's histogram has p90 and p97.5, no p95). */
function latencyP95(r: { times: number[] }): number {
  const sorted = [...r.times].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(0.95 * sorted.length))] ?? 0;
}

/** utime + stime of a process (every thread), or of one of its threads, in clock ticks. */
function cpuTicks(pid: number, tid?: number): number {
  const stat = readFileSync(tid === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${tid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start at state, field 3.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/** The bench's questions for a KB (its listed phrasings reworded, and unrelated ones). */
export async function questionsOf(kbDir: string): Promise<{ text: string; lang: string }[]> {
  const kb = await loadKnowledgeBase(kbDir, { defaultLang: 'en' });
  const out: { text: string; lang: string }[] = [];
  for (const a of kb.articles)
    for (const q of a.questions) {
      out.push({ text: q, lang: a.lang });
      out.push({ text: a.lang === 'es' ? `hola, ${q.toLowerCase()}?` : `hi, ${q.toLowerCase()}?`, lang: a.lang });
      // One letter dropped, as users type.
      const i = Math.floor(q.length / 2);
      out.push({ text: q.slice(0, i) + q.slice(i + 1), lang: a.lang });
    }
  for (const text of [
    'what is the weather tomorrow',
    'who won the match',
    '¿qué hora es en Tokio?',
    'receta de tortilla',
  ])
    out.push({ text, lang: text.match(/[¿éí]|receta/) ? 'es' : 'en' });
  return out;
}

async function health(url: string, amount: number): Promise<autocannon.Result & { seconds: number }> {
  const started = performance.now();
  const result = await autocannon({ url: `${url}/healthz`, amount, connections: 10 });
  return Object.assign(result, { seconds: (performance.now() - started) / 1000 });
}

/** `amount` asks, 10 at a time; every third starts a conversation the next two continue. */
async function ask(
  url: string,
  questions: { text: string; lang: string }[],
  amount: number,
): Promise<autocannon.Result & { times: number[]; seconds: number }> {
  const started = performance.now();
  let i = 0;
  const times: number[] = [];
  const instance = autocannon({
    url,
    amount,
    connections: 10,
    requests: [
      {
        method: 'POST',
        path: '/api/ask',
        headers: { 'content-type': 'application/json' },
        setupRequest: (req, ctx) => {
          const context = ctx as Record<string, unknown>;
          const q = questions[(i++ * 7919) % questions.length]!;
          const turn = ((context.turn as number | undefined) ?? 0) % 3;
          context.turn = turn + 1;
          const conversationId = turn > 0 ? (context.conversationId as string | undefined) : undefined;
          return { ...req, body: JSON.stringify({ question: q.text, lang: q.lang, conversationId }) };
        },
        onResponse: (status, body, ctx) => {
          if (status === 200)
            (ctx as Record<string, unknown>).conversationId = (
              JSON.parse(body) as { conversationId: string }
            ).conversationId;
        },
      },
    ],
  });
  (
    instance as unknown as {
      on(event: 'response', fn: (client: unknown, status: number, bytes: number, ms: number) => void): void;
    }
  ).on('response', (_c, _s, _b, ms) => times.push(ms));
  const result = await instance;
  return Object.assign(result, { times, seconds: (performance.now() - started) / 1000 });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (name: string, fallback?: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1]! : fallback;
  };
  const baseline = arg('baseline');
  if (arg('data') && !arg('kb')) {
    console.error('--data needs --kb: the KB folder that data directory was built from');
    process.exit(2);
  }
  // --envs 'A=1;A=2,B=3': one server of this checkout per set of settings, side by side.
  const envs = arg('envs')
    ?.split(';')
    .map((set) =>
      Object.fromEntries(set.split(',').map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)])),
    );
  const checkouts = [...(baseline ? [path.resolve(baseline)] : []), ...(envs ?? [{}]).map(() => '.')];
  const ports = arg('ports')?.split(',');
  if (ports && ports.length !== checkouts.length) {
    console.error(`--ports lists ${ports.length} ports for ${checkouts.length} servers (the baseline first)`);
    process.exit(2);
  }
  const serverEnvs = [...(baseline ? [{}] : []), ...(envs ?? [{}])].map((env, i) =>
    ports ? { ...env, PORT: ports[i]! } : env,
  );
  const results = await benchAskCpu(arg('kb', 'kb-content')!, {
    requests: Number(arg('requests', '4000')),
    rounds: Number(arg('rounds', '3')),
    checkouts,
    envs: serverEnvs,
    cpuProfDir: arg('cpu-prof'),
    compiled: process.argv.includes('--compiled'),
    entry: arg('entry') && path.resolve(arg('entry')!),
    dataDir: arg('data'),
    questionsFile: arg('questions'),
  });
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(', ');
  console.log(
    `| Checkout | Round | ask CPU µs/req | main thread µs/req | generator µs/req | healthz CPU µs/req | healthz/ask | ask req/s (wall) | healthz req/s (wall) | ask p95 ms | ask p99 ms | errors |`,
  );
  console.log(`|---|---|---|---|---|---|---|---|---|---|---|---|`);
  for (const result of results)
    result.rounds.forEach((r, i) =>
      console.log(
        `| ${result.checkout} | ${i + 1} | ${r.askUs.toFixed(0)} | ${r.mainThreadUs.toFixed(0)} | ${r.generatorUs.toFixed(0)} | ${r.healthUs.toFixed(0)} | ${(r.healthUs / r.askUs).toFixed(3)} | ${r.askRps.toFixed(0)} | ${r.healthRps.toFixed(0)} | ${r.askP95.toFixed(1)} | ${r.askP99} | ${r.errors} |`,
      ),
    );
  console.log('');
  for (const r of results)
    console.log(
      `${r.checkout}: median of ${r.rounds.length} rounds of ${r.requests}: ask ${r.askUs.toFixed(0)} µs, healthz ${r.healthUs.toFixed(0)} µs CPU per request (healthz/ask ${(r.healthUs / r.askUs).toFixed(3)}), main thread ${median(r.rounds.map((x) => x.mainThreadUs)).toFixed(0)} µs, generator ${median(r.rounds.map((x) => x.generatorUs)).toFixed(0)} µs, ${median(r.rounds.map((x) => x.askRps)).toFixed(0)} asks/s, RSS ${r.rssMb.toFixed(0)} MB`,
    );
  if (results.length === 2)
    console.log(`ask CPU per request, second server / first: ${(results[1]!.askUs / results[0]!.askUs).toFixed(3)}`);
  console.log(`load average at the end ${load}`);
}
