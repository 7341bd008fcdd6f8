import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { compileServer, SERVER_BUNDLE } from '../scripts/compileServer.mjs';
import { startServerProcess } from '../test/helpers/child.ts';
import { startNodeArgs } from './servedRss.ts';

/**
 * A warm start: the server (server/main.ts) started on a KB whose snapshot
 * is already built and current, timed to listening. CPU comes from the
 * server's /proc entry (user + system, all its threads), so the figure holds
 * on a loaded machine where wall time does not; peak RSS is VmHWM. Then one
 * question and one search (which waits for the full-text index, loaded
 * after "ready"), and RSS once serving. Linux only. `compiled`: the server as
 * `npm start` runs it (dist/server/main.mjs, compiled first when stale, with
 * its node flags), else the sources through tsx, as the specs run it.
 *
 *   KB_DIR=… DATA_DIR=… npx tsx bench/warmStart.ts    (both, compiled first)
 */
export async function measureWarmStart(
  env: Record<string, string>,
  compiled = true,
): Promise<{
  wallSeconds: number;
  cpuSeconds: number;
  /** From the spawn to the first /api/search answered (after one /api/ask). */
  searchSeconds: number;
  peakRssMb: number;
  servingRssMb: number;
  log: string;
}> {
  if (compiled) await compileServer();
  const started = performance.now();
  const server = await startServerProcess(
    { LOG_LEVEL: 'info', ...env },
    3_600_000,
    compiled ? { nodeArgs: startNodeArgs(fileURLToPath(new URL('..', import.meta.url))), entry: SERVER_BUNDLE } : {},
  );
  try {
    const wallSeconds = (performance.now() - started) / 1000;
    const pid = server.child.pid!;
    const cpuSeconds = cpuOf(pid);
    const res = await fetch(`${server.url}/api/ask`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ question: 'how do I reset my password' }),
    });
    if (!res.ok) throw new Error(`/api/ask answered ${res.status}`);
    // The full-text index loads after "ready": a search waits for it, so RSS below includes it.
    const search = await fetch(`${server.url}/api/search?q=reset%20password`);
    if (!search.ok) throw new Error(`/api/search answered ${search.status}`);
    await search.text();
    const searchSeconds = (performance.now() - started) / 1000;
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(status.match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'))![1]);
    return {
      wallSeconds,
      cpuSeconds,
      searchSeconds,
      peakRssMb: kb('VmHWM') / 1024,
      servingRssMb: kb('VmRSS') / 1024,
      log: server.output(),
    };
  } finally {
    server.child.kill('SIGTERM');
    await server.exited;
  }
}

/** User + system CPU seconds of a process so far (/proc/PID/stat fields 14 and 15, in clock ticks of 1/100 s). */
export function cpuOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const env = { KB_DIR: process.env.KB_DIR ?? 'kb-content', DATA_DIR: process.env.DATA_DIR ?? 'data' };
  for (const compiled of [true, false]) {
    const r = await measureWarmStart(env, compiled);
    const lines = r.log.split('\n').filter((l) => /"index"|rebuild|building|fitting/.test(l));
    if (lines.length) console.log(lines.join('\n'));
    console.log(
      `warm start (${compiled ? 'compiled, as npm start' : 'tsx'}): ${r.wallSeconds.toFixed(1)} s wall, ${r.cpuSeconds.toFixed(1)} s CPU, first search answered at ${r.searchSeconds.toFixed(1)} s, peak RSS ${r.peakRssMb.toFixed(0)} MB, RSS once serving ${r.servingRssMb.toFixed(0)} MB (load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')})`,
    );
  }
}
