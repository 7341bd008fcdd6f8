import { readFileSync } from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import { startServerProcess } from '../test/helpers/child.ts';
import { pacedLoad } from './pacedLoad.ts';
import { startNodeArgs } from './servedRss.ts';
import { cpuOf } from './warmStart.ts';

/**
 * `npm run bench`'s fixed-rate run (bench/askLoad.ts) on a snapshot that is
 * already built, so a KB too big to rebuild for every run (100k articles:
 * about an hour of build) can be served and loaded as the bench loads the
 * smaller ones: the compiled server (`npm run prestart` first) with
 * `npm start`'s node flags on KB_DIR/DATA_DIR, the same warm-up (a search,
 * then 3 s of asks at 10 connections), `POST /api/ask` sent evenly at
 * `--rate` for `--seconds` (bench/pacedLoad.ts, latency from when each ask
 * was due), then `GET /healthz` saturated beside it. The server appends its
 * events to DATA_DIR: give it a copy of a shared snapshot.
 *
 *   KB_DIR=… DATA_DIR=… npx tsx bench/servedLoad.ts --questions kb.questions.json [--rate 100] [--seconds 30] [--port 0] [--from-ready]
 *
 * `--from-ready`: no search and no warm-up; the asks start as soon as the
 * server says it is ready, as after a restart at a busy hour, and the
 * latency is also printed for each 5 s of the run (by when each ask was
 * due). The server loads its full-text index 10 s after "ready" (what the
 * warm-up's search does at once): a run of 30 s or more covers it.
 */
export async function measureServedLoad(options: {
  env: Record<string, string>;
  questions: string[];
  rate: number;
  seconds: number;
  /** Ask from "ready" on, without the search and the warm-up. */
  fromReady?: boolean;
}) {
  const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
  const started = performance.now();
  const server = await startServerProcess(options.env, 3_600_000, {
    nodeArgs: startNodeArgs(root),
    entry: path.join(root, 'dist/server/main.mjs'),
  });
  const start = {
    wallSeconds: (performance.now() - started) / 1000,
    cpuSeconds: cpuOf(server.child.pid!),
    peakRssMb: statusMb(server.child.pid!, 'VmHWM'),
  };
  const { questions } = options;
  const body = (i: number) => JSON.stringify({ question: questions[(i * 7919) % questions.length]! });
  try {
    if (!options.fromReady) {
      const search = await fetch(`${server.url}/api/search?q=${encodeURIComponent(questions[0]!)}`);
      if (!search.ok) throw new Error(`/api/search answered ${search.status}`);
      let w = 0;
      await autocannon({
        url: server.url,
        duration: 3,
        connections: 10,
        requests: [
          {
            method: 'POST',
            path: '/api/ask',
            headers: { 'content-type': 'application/json' },
            setupRequest: (req) => ({ ...req, body: body(w++) }),
          },
        ],
      });
    }
    const cpuBefore = cpuOf(server.child.pid!);
    const paced = await pacedLoad({
      url: server.url,
      path: '/api/ask',
      rate: options.rate,
      seconds: options.seconds,
      connections: 10,
      body,
    });
    const askCpuSeconds = cpuOf(server.child.pid!) - cpuBefore;
    const health = await autocannon({ url: `${server.url}/healthz`, duration: 5, connections: 10 });
    const sorted = [...paced.times].sort((a, b) => a - b);
    const q = (p: number) =>
      Math.round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]! * 100) / 100;
    return {
      sent: paced.sent.length,
      ok: paced.ok,
      errors: paced.errors + paced.non2xx,
      seconds: paced.seconds,
      /** Answered asks per second of the whole run (until the last answer came back). */
      achievedRate: paced.ok / paced.seconds,
      p50: q(0.5),
      p95: q(0.95),
      p99: q(0.99),
      max: q(1),
      windows: windowsOf(paced.timesDue, paced.times, 5000),
      askCpuSeconds,
      health: { rps: health.requests.average, p99: health.latency.p99 },
      rssMb: statusMb(server.child.pid!, 'VmRSS'),
      peakRssMb: statusMb(server.child.pid!, 'VmHWM'),
      start,
    };
  } finally {
    server.child.kill('SIGTERM');
    await server.exited;
  }
}

/** The latency of the asks due in each `ms` of the run: how many, p50, p95 and max (ms). */
function windowsOf(due: number[], times: number[], ms: number) {
  const windows: number[][] = [];
  due.forEach((d, i) => (windows[Math.floor(d / ms)] ??= []).push(times[i]!));
  return [...windows.entries()].map(([w, t = []]) => {
    t.sort((a, b) => a - b);
    const q = (p: number) => Math.round(t[Math.min(t.length - 1, Math.floor(p * t.length))]! * 10) / 10;
    return { fromSeconds: (w * ms) / 1000, asks: t.length, p50: q(0.5), p95: q(0.95), max: q(1) };
  });
}

/** A /proc/PID/status field given in kB (VmRSS, VmHWM), in MB. */
function statusMb(pid: number, field: string): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(status.match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'))![1]) / 1024;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (name: string, fallback?: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? process.argv[i + 1]! : fallback;
  };
  const file = arg('questions');
  if (!file) throw new Error('--questions FILE (a JSON list of { text })');
  const questions = (JSON.parse(readFileSync(file, 'utf8')) as { text: string }[]).map((x) => x.text);
  const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  const loadBefore = load();
  const r = await measureServedLoad({
    env: {
      KB_DIR: process.env.KB_DIR ?? 'kb-content',
      DATA_DIR: process.env.DATA_DIR ?? 'data',
      PORT: arg('port', '0')!,
      LOG_LEVEL: 'error',
    },
    questions,
    rate: Number(arg('rate', '100')),
    seconds: Number(arg('seconds', '30')),
    fromReady: process.argv.includes('--from-ready'),
  });
  console.log(
    `ready after ${r.start.wallSeconds.toFixed(1)} s wall, ${r.start.cpuSeconds.toFixed(1)} s CPU, peak RSS ${r.start.peakRssMb.toFixed(0)} MB`,
  );
  console.log(
    `/api/ask at ${arg('rate', '100')} req/s for ${arg('seconds', '30')} s: ${r.sent} sent, ${r.ok} answered, ${r.errors} errors in ${r.seconds.toFixed(1)} s ` +
      `(${r.achievedRate.toFixed(1)} answered/s), p50 ${r.p50} ms, p95 ${r.p95} ms, p99 ${r.p99} ms, max ${r.max} ms; ` +
      `server CPU during the run ${r.askCpuSeconds.toFixed(1)} s (${((r.askCpuSeconds / r.ok) * 1000).toFixed(2)} ms per ask); ` +
      `GET /healthz beside it ${r.health.rps.toFixed(0)} req/s, p99 ${r.health.p99} ms; RSS ${r.rssMb.toFixed(0)} MB (peak ${r.peakRssMb.toFixed(0)}) ` +
      `(load average ${loadBefore} before, ${load()} after)`,
  );
  if (process.argv.includes('--from-ready'))
    for (const w of r.windows)
      console.log(`  asks due from ${w.fromSeconds} s: ${w.asks}, p50 ${w.p50} ms, p95 ${w.p95} ms, max ${w.max} ms`);
}
