import { spawn, type ChildProcess } from 'node:child_process';
import { FIXTURE_KB } from './fixtureKb.ts';

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  output(): string;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
}

/**
 * Run `npm start`'s entry point as a child process (on the fixture KB unless `env` names another) and wait until it serves.
 * Benchmarks pass `nodeArgs` to node itself (`--cpu-prof`, which NODE_OPTIONS refuses) and `cwd` to run another checkout;
 * `entry` runs a compiled server (scripts/compileServer.mjs) instead of the sources through tsx.
 */
export async function startServerProcess(
  env: Record<string, string>,
  timeoutMs = 45_000,
  options: { nodeArgs?: string[]; cwd?: string; entry?: string } = {},
): Promise<ServerProcess> {
  const entry = options.entry ? [options.entry] : ['--import', 'tsx', 'server/main.ts'];
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), ...entry], {
    cwd: options.cwd,
    env: {
      ...process.env,
      KB_DIR: FIXTURE_KB,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      RATE_LIMIT_ASK_PER_MINUTE: '100000',
      RATE_LIMIT_CONVERSATION_PER_MINUTE: '100000',
      RATE_LIMIT_TICKETS_PER_HOUR: '100000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    // A server too slow to start is stopped, not left serving after its spec gave up on it.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start in ${timeoutMs} ms:\n${out}`));
    }, timeoutMs);
    const onData = () => {
      const m = out.match(/ready on (http:\/\/\S+)/);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!.replace('localhost', '127.0.0.1'));
      }
    };
    child.stdout!.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${out}`));
    });
  });
  return { url, child, output: () => out, exited };
}

/** Run a command to completion, collecting its output. */
export function runProcess(
  args: string[],
  env: Record<string, string>,
): { child: ChildProcess; done: Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }> } {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal, output })),
  );
  return { child, done };
}
