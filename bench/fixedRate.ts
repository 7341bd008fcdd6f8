import { readFileSync } from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import { startServerProcess } from '../test/helpers/child.ts';
import { tempDir } from '../test/helpers/tempDir.ts';
import { questionsOf } from './askCpu.ts';
import { pacedLoad } from './pacedLoad.ts';
import { writeRealisticKb } from './realisticKb.ts';

/**
 * How a fixed-rate run's requests leave, and what latency each way reports:
 * autocannon's `overallRate` (a budget per connection and second) against
 * bench/pacedLoad.ts (request i at i / rate s), taking turns on one compiled
 * server (`npm run prestart` first). Each run records when each request was
 * sent (autocannon: when it builds the request, just before writing it).
 *
 *   npx tsx bench/fixedRate.ts [sample|ARTICLES] [--rate 200] [--rounds 2] [--path /api/ask]
 *
 * `--path` another route (a 404 costs the server almost nothing, so the
 * pattern shows even on a loaded machine).
 */
export interface SendPattern {
  requests: number;
  p50: number;
  p95: number;
  p99: number;
  /** Share of the sends in the first 100 ms of each second since the start, and in its second half. */
  firstTenth: number;
  secondHalf: number;
  /** The most sends within one 10 ms slot, and the median gap between two sends (ms). */
  peak10ms: number;
  medianGap: number;
}

function pattern(times: number[], sends: number[]): SendPattern {
  const q = (xs: number[], p: number) => {
    const s = [...xs].sort((a, b) => a - b);
    return Math.round((s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? 0) * 100) / 100;
  };
  const slots = new Map<number, number>();
  for (const t of sends) slots.set(Math.floor(t / 10), (slots.get(Math.floor(t / 10)) ?? 0) + 1);
  const ordered = [...sends].sort((a, b) => a - b);
  return {
    requests: times.length,
    p50: q(times, 0.5),
    p95: q(times, 0.95),
    p99: q(times, 0.99),
    firstTenth: sends.filter((t) => t % 1000 < 100).length / sends.length,
    secondHalf: sends.filter((t) => t % 1000 >= 500).length / sends.length,
    peak10ms: Math.max(...slots.values()),
    medianGap: q(
      ordered.slice(1).map((t, i) => t - ordered[i]!),
      0.5,
    ),
  };
}

async function viaAutocannon(url: string, route: string, rate: number, body: (i: number) => string) {
  let i = 0;
  const times: number[] = [];
  const sends: number[] = [];
  const start = performance.now();
  const instance = autocannon({
    url,
    duration: 10,
    connections: 10,
    overallRate: rate,
    requests: [
      {
        method: 'POST',
        path: route,
        headers: { 'content-type': 'application/json' },
        setupRequest: (req) => {
          sends.push(performance.now() - start);
          return { ...req, body: body(i++) };
        },
      },
    ],
  });
  (
    instance as unknown as {
      on(event: 'response', fn: (client: unknown, status: number, bytes: number, ms: number) => void): void;
    }
  ).on('response', (_c, _s, _b, ms) => times.push(ms));
  await instance;
  return pattern(times, sends);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (name: string, fallback: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1]! : fallback;
  };
  const which = process.argv[2] && !process.argv[2].startsWith('--') ? process.argv[2] : 'sample';
  const [rate, rounds, route] = [Number(arg('rate', '200')), Number(arg('rounds', '2')), arg('path', '/api/ask')];
  const kb = which === 'sample' ? { dir: path.resolve('kb-content'), cleanup: () => {} } : tempDir('deflect-bench-kb-');
  const questions =
    which === 'sample'
      ? (await questionsOf(kb.dir)).map((q) => q.text)
      : writeRealisticKb(kb.dir, Number(which)).questions.map((q) => q.text);
  const body = (i: number) => JSON.stringify({ question: questions[(i * 7919) % questions.length]! });
  const data = tempDir('deflect-bench-data-');
  const server = await startServerProcess({ KB_DIR: kb.dir, DATA_DIR: data.dir, LOG_LEVEL: 'error' }, 3_600_000, {
    entry: path.resolve('dist/server/main.mjs'),
  });
  try {
    // As askLoad.ts: the full-text index loaded and 3 s of asks before the runs.
    await fetch(`${server.url}/api/search?q=${encodeURIComponent(questions[0]!)}`);
    await autocannon({
      url: server.url,
      duration: 3,
      connections: 10,
      requests: [{ method: 'POST', path: '/api/ask', headers: { 'content-type': 'application/json' }, body: body(0) }],
    });
    console.log(
      `| Round | Sender | Requests | p50 ms | p95 ms | p99 ms | sends in each second's first 100 ms | in its second half | most sends in 10 ms | median gap ms |`,
    );
    console.log(`|---|---|---|---|---|---|---|---|---|---|`);
    const row = (round: number, sender: string, p: SendPattern) =>
      console.log(
        `| ${round} | ${sender} | ${p.requests} | ${p.p50} | ${p.p95} | ${p.p99} | ${(p.firstTenth * 100).toFixed(0)} % | ${(p.secondHalf * 100).toFixed(0)} % | ${p.peak10ms} | ${p.medianGap} |`,
      );
    for (let r = 1; r <= rounds; r++) {
      row(r, `autocannon overallRate ${rate}`, await viaAutocannon(server.url, route, rate, body));
      const paced = await pacedLoad({ url: server.url, path: route, rate, seconds: 10, connections: 10, body });
      row(r, `pacedLoad ${rate}/s`, pattern(paced.times, paced.sent));
    }
    console.log(`load average at the end ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(', ')}`);
  } finally {
    server.child.kill('SIGTERM');
    await server.exited;
    data.cleanup();
    kb.cleanup();
  }
}
