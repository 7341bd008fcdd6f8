import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildWidget } from '../widget/build.ts';
import { benchAskLoad } from './askLoad.ts';
import { benchIndexing } from './indexing.ts';
import { benchWatchLatency } from './watchLatency.ts';

/**
 * `npm run bench`: the whole suite, printed and written to bench/RESULTS.md.
 * `--sizes 1000,10000` picks the KB sizes (realistic vocabulary, see
 * bench/realisticKb.ts; add 100000 for the large run: it takes long);
 * `--seconds` the length of each load run. Each size also gets a memory
 * profile of the loaded index and a stage-by-stage profile of one request.
 * The load runs also cover the repository's sample KB, and serve with what
 * `npm start` runs (the compiled server).
 */
const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1000,10000' },
    seconds: { type: 'string', default: '10' },
    events: { type: 'string', default: '1000000' },
  },
});
const sizes = values.sizes.split(',').map(Number);
const rows: string[] = [];
const row = (what: string, figure: string, goal = '', met = '') => {
  rows.push(`| ${what} | ${figure} | ${goal} | ${met} |`);
  process.stdout.write(`${what}: ${figure}${goal ? ` (goal ${goal}: ${met})` : ''}\n`);
};
const yes = (ok: boolean) => (ok ? 'yes' : '**no**');

// Per size, on the index just built: where a loaded index's memory goes, and where one request's time goes.
const profiles: string[] = [];
for (const n of sizes) {
  const ix = await benchIndexing(n, async ({ kbDir, dataDir, questions }) => {
    const file = path.join(dataDir, 'bench-questions.json');
    writeFileSync(file, JSON.stringify(questions.map((text) => ({ text }))));
    const tsx = (script: string, args: string[], flags: string[] = []) =>
      execFileSync(process.execPath, [...flags, '--import', 'tsx', script, ...args], {
        encoding: 'utf8',
        env: { ...process.env, KB_DIR: kbDir, DATA_DIR: dataDir, LOG_LEVEL: 'error' },
        maxBuffer: 1 << 24,
      }).trim();
    const k = `${n.toLocaleString('en')} articles`;
    profiles.push(
      `### Memory of a loaded index, ${k}\n\n${tsx('bench/memoryProfile.ts', [dataDir], ['--expose-gc'])}\n`,
      `### One request, stage by stage, ${k}\n\n${tsx('bench/requestProfile.ts', [file])}\n`,
    );
  });
  row(
    `index build, ${n.toLocaleString('en')} articles`,
    `${ix.seconds.toFixed(1)} s, ${ix.cpuSeconds.toFixed(1)} s CPU (${ix.perThousand.toFixed(2)} s per 1k), ${ix.vectors.toLocaleString('en')} vectors`,
    n === 100_000 ? '≤ 3 min' : '',
    n === 100_000 ? yes(ix.seconds <= 180) : '',
  );
}
// Issue 16's goals, where it sets them: the sample KB, 10k and 100k articles (autocannon, 10 connections).
for (const n of ['sample' as const, ...sizes]) {
  const big = n !== 'sample' && n >= 100_000;
  const at10k = n === 10_000;
  const rate = big ? 100 : 200;
  const r = await benchAskLoad(n, Number(values.seconds), rate);
  const k = n === 'sample' ? 'sample KB (kb-content)' : `${n.toLocaleString('en')} articles`;
  row(
    `cold start (build index + serve), ${k}`,
    `${r.coldStartSeconds.toFixed(1)} s`,
    at10k ? '≤ 20 s' : '',
    at10k ? yes(r.coldStartSeconds <= 20) : '',
  );
  row(
    `warm start (load snapshot + serve), ${k}`,
    `${r.warmStartSeconds.toFixed(1)} s`,
    at10k ? '≤ 3 s' : '',
    at10k ? yes(r.warmStartSeconds <= 3) : '',
  );
  const rssGoal = at10k ? 800 : big ? 4096 : 0;
  row(
    `RSS once serving (after the runs below), ${k}`,
    `${r.rssMb.toFixed(0)} MB`,
    rssGoal ? `≤ ${rssGoal.toLocaleString('en')} MB` : '',
    rssGoal ? yes(r.rssMb <= rssGoal) : '',
  );
  const p95Goal = big ? 50 : at10k ? 15 : 0;
  row(
    `/api/ask at ${rate} req/s, ${k}`,
    `p50 ${r.fixedRate.p50} ms, p95 ${r.fixedRate.p95} ms, p99 ${r.fixedRate.p99} ms, ${r.fixedRate.errors} errors`,
    p95Goal ? `p95 ≤ ${p95Goal} ms` : '',
    p95Goal ? yes(r.fixedRate.p95 <= p95Goal && r.fixedRate.errors === 0) : '',
  );
  const [rpsGoal, p99Goal] = n === 'sample' ? [2000, 50] : at10k ? [1000, 100] : [0, 0];
  row(
    `/api/ask saturated (10 connections), ${k}`,
    `${r.max.rps.toFixed(0)} req/s, p50 ${r.max.p50} ms, p99 ${r.max.p99} ms, ${r.max.errors} errors`,
    rpsGoal ? `≥ ${rpsGoal.toLocaleString('en')} req/s at p99 < ${p99Goal} ms` : '',
    rpsGoal ? yes(r.max.rps >= rpsGoal && r.max.p99 < p99Goal && r.max.errors === 0) : '',
  );
  row(
    `engine.answer() alone, in-process, ${k}`,
    `mean ${r.engine.mean} ms, p50 ${r.engine.p50} ms, p95 ${r.engine.p95} ms, p99 ${r.engine.p99} ms (the rest of a request is Express, validation, the event log and the conversation store)`,
  );
  row(
    `GET /healthz on the same server, ${k}`,
    `${r.health.rps.toFixed(0)} req/s, p99 ${r.health.p99} ms (ask/healthz throughput ${(r.max.rps / r.health.rps).toFixed(2)})`,
  );
  row(
    `engine worker threads, ${k}`,
    r.threads
      ? `${r.threads.running} running; answered ${r.threads.answered} of the ${r.requestsAnswered} asks answered`
      : 'none (ENGINE_THREADS=0)',
  );
  row(
    `events after the runs, ${k}`,
    `${r.eventsCounted} events for ${r.requestsAnswered} answered of ${r.requestsSent} sent`,
    'none lost',
    yes(r.eventsCounted >= r.requestsAnswered && r.eventsCounted <= r.requestsSent),
  );
}
const [watch] = await benchWatchLatency({ articles: 1000, steps: ['add'], converge: false });
row(
  'edited article answerable (indexer --watch, 1,000 articles)',
  `${watch!.answerable.toFixed(2)} s`,
  '≤ 2 s',
  yes(watch!.answerable <= 2),
);

const reports = execFileSync(process.execPath, ['--import', 'tsx', 'bench/reports.ts', '--events', values.events], {
  encoding: 'utf8',
});
const best = reports.match(/best ([\d.]+) s/)?.[1];
const first = reports.match(/first run[^:]*: ([\d.]+) s/)?.[1];
row(
  `deflection report over ${Number(values.events).toLocaleString('en')} events`,
  `${best} s warm, ${first} s first run`,
  '< 2 s',
  yes(Number(best) < 2),
);

const files = await buildWidget();
const loader = files.find((f) => f.file.endsWith('widget.js'))!;
const total = files.filter((f) => !f.file.includes('playground')).reduce((s, f) => s + f.gzipBytes, 0);
row(
  'widget loader, gzipped',
  `${(loader.gzipBytes / 1024).toFixed(1)} KB`,
  '≤ 6 KB',
  yes(loader.gzipBytes <= 6 * 1024),
);
row('widget total, gzipped', `${(total / 1024).toFixed(1)} KB`, '≤ 25 KB', yes(total <= 25 * 1024));

const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
const machine = `${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}; load average at the end ${os
  .loadavg()
  .map((x) => x.toFixed(1))
  .join(', ')}`;
const table = [
  `Machine: ${machine}`,
  '',
  '| Measure | Figure | Goal | Met |',
  '|---|---|---|---|',
  ...rows,
  '',
  ...profiles,
].join('\n');
// Sections other benchmarks write (## Scale-out) stay as they are.
const previous = existsSync('bench/RESULTS.md') ? readFileSync('bench/RESULTS.md', 'utf8') : '';
const others = previous.indexOf('\n## ');
writeFileSync(
  'bench/RESULTS.md',
  `# Benchmark results\n\nProduced by \`npm run bench -- --sizes ${values.sizes}\`.\n\n${table}${others < 0 ? '' : previous.slice(others)}`,
);
process.stdout.write(`\n${table}`);
