import { fileURLToPath } from 'node:url';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import { compileServer, SERVER_BUNDLE } from '../scripts/compileServer.mjs';
import { startServerProcess } from '../test/helpers/child.ts';
import { tempDir } from '../test/helpers/tempDir.ts';
import { questionsOf } from './askCpu.ts';
import { benchEngine } from './engineLatency.ts';
import { pacedLoad } from './pacedLoad.ts';
import { writeRealisticKb } from './realisticKb.ts';
import { startNodeArgs } from './servedRss.ts';

export interface LoadResult {
  /** A realistic KB's size, or 'sample' for the repository's kb-content. */
  articles: number | 'sample';
  coldStartSeconds: number;
  warmStartSeconds: number;
  rssMb: number;
  fixedRate: { rate: number; p50: number; p95: number; p99: number; errors: number };
  max: { rps: number; p50: number; p95: number; p99: number; errors: number };
  health: { rps: number; p99: number };
  /** engine.answer() alone, in-process, on the same snapshot (after the server stopped). */
  engine: { mean: number; p50: number; p95: number; p99: number };
  requestsSent: number;
  requestsAnswered: number;
  eventsCounted: number;
  /** /healthz's engineThreads after the runs: threads running and the asks they answered (null: ENGINE_THREADS=0). */
  threads: { running: number; answered: number } | null;
}

/**
 * POST /api/ask under load on loopback, next to GET /healthz on the same
 * server: a run at `rate` req/s sent evenly (latency at a realistic load,
 * bench/pacedLoad.ts), a saturating run
 * (throughput, 10 connections as issue 16 states its goals), and the event
 * count afterwards (nothing lost). The server is the one `npm start` runs
 * (dist/server/main.mjs, compiled first when stale, with its node flags).
 * `articles`: a realistic KB of that size (bench/realisticKb.ts), or 'sample'
 * for kb-content with its listed phrasings reworded and unrelated questions
 * (bench/askCpu.ts).
 * The runs start after a warm-up (a search, which loads the full-text
 * index, and 3 s of asks): what a server serves in steady state.
 */
export async function benchAskLoad(articles: number | 'sample', seconds = 10, rate = 200): Promise<LoadResult> {
  const sample = articles === 'sample';
  const kb = sample ? { dir: path.resolve('kb-content'), cleanup: () => {} } : tempDir('deflect-bench-kb-');
  const data = tempDir('deflect-bench-data-');
  // Varied questions: listed, reworded and unrelated ones.
  const questions = sample
    ? (await questionsOf(kb.dir)).map((q) => q.text)
    : writeRealisticKb(kb.dir, articles).questions.map((q) => q.text);
  const env = { KB_DIR: kb.dir, DATA_DIR: data.dir, LOG_LEVEL: 'error' };
  await compileServer();
  // With npm start's own node flags: they size V8's heap, so RSS is what `npm start` would show.
  const nodeArgs = startNodeArgs(fileURLToPath(new URL('..', import.meta.url)));
  const start = (timeoutMs: number) => startServerProcess(env, timeoutMs, { nodeArgs, entry: SERVER_BUNDLE });
  try {
    let t = performance.now();
    let server = await start(3_600_000);
    const coldStartSeconds = (performance.now() - t) / 1000;
    server.child.kill('SIGTERM');
    await server.exited;
    t = performance.now();
    server = await start(600_000);
    const warmStartSeconds = (performance.now() - t) / 1000;
    try {
      // Steady state, as a server is most of its life: one search loads the full-text index (else loaded
      // ten seconds after "ready", in the middle of the first run), and a few seconds of asks warm the JIT.
      const search = await fetch(`${server.url}/api/search?q=${encodeURIComponent(questions[0]!)}`);
      if (!search.ok) throw new Error(`/api/search answered ${search.status}`);
      const warm = await run(server.url, questions, { duration: 3, connections: 10 });
      // Evenly spaced, not autocannon's overallRate (a burst at the start of each second): see pacedLoad.
      let n = 0;
      const fixed = await pacedLoad({
        url: server.url,
        path: '/api/ask',
        rate,
        seconds,
        connections: 10,
        body: () => JSON.stringify({ question: questions[(n++ * 7919) % questions.length]! }),
      });
      const max = await run(server.url, questions, { duration: seconds, connections: 10 });
      const health = await autocannon({
        url: `${server.url}/healthz`,
        duration: Math.max(3, seconds / 2),
        connections: 10,
      });
      const threads = (
        (await (await fetch(`${server.url}/healthz`)).json()) as { engineThreads: LoadResult['threads'] }
      ).engineThreads;
      const rssMb = Number(readFileSync(`/proc/${server.child.pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)![1]) / 1024;
      // Requests cut off in flight when a run's time is up may or may not have reached the engine:
      // no event may be missing for an answered one, and none may exist beyond what was sent.
      const requestsAnswered = warm['2xx'] + fixed.ok + max['2xx'];
      const requestsSent = warm.requests.sent + fixed.sent.length + max.requests.sent;
      const eventsCounted = countQuestionEvents(path.join(data.dir, 'events'));
      server.child.kill('SIGTERM');
      await server.exited;
      return {
        articles,
        coldStartSeconds,
        warmStartSeconds,
        rssMb,
        fixedRate: { rate, ...lat(fixed), errors: fixed.errors + fixed.non2xx },
        max: { rps: max.requests.average, ...lat(max), errors: max.errors + max.non2xx },
        health: { rps: health.requests.average, p99: health.latency.p99 },
        requestsSent,
        requestsAnswered,
        eventsCounted,
        threads: threads && { running: threads.running, answered: threads.answered },
        engine: await benchEngine(data.dir, questions),
      };
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  } finally {
    kb.cleanup();
    data.cleanup();
  }
}

type Measured = autocannon.Result & { times: number[] };

/** One autocannon run; response times are collected one by one, for exact percentiles. */
async function run(
  url: string,
  questions: string[],
  opts: { duration: number; connections: number },
): Promise<Measured> {
  let i = 0;
  const times: number[] = [];
  const instance = autocannon({
    url,
    ...opts,
    requests: [
      {
        method: 'POST',
        path: '/api/ask',
        headers: { 'content-type': 'application/json' },
        // A different real question each time, so caches do not flatter the figures.
        setupRequest: (req) => ({
          ...req,
          body: JSON.stringify({ question: questions[(i++ * 7919) % questions.length]! }),
        }),
      },
    ],
  });
  (
    instance as unknown as {
      on(event: 'response', fn: (client: unknown, status: number, bytes: number, ms: number) => void): void;
    }
  ).on('response', (_c, _s, _b, ms) => times.push(ms));
  const result = await instance;
  return Object.assign(result, { times });
}

function lat(r: { times: number[] }) {
  const sorted = [...r.times].sort((a, b) => a - b);
  const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
  return { p50: round(q(0.5)), p95: round(q(0.95)), p99: round(q(0.99)) };
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

function countQuestionEvents(dir: string): number {
  let n = 0;
  for (const f of readdirSync(dir))
    for (const line of readFileSync(path.join(dir, f), 'utf8').split('\n')) if (line.includes('"type":"question"')) n++;
  return n;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const n of process.argv.slice(2))
    console.log(JSON.stringify(await benchAskLoad(n === 'sample' ? n : Number(n)), null, 2));
}
