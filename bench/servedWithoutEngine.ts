import { createServer } from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * The server of the checkout in the current folder, as server/main.ts starts
 * it, except that the answer engine remembers each query's result after its
 * first call: what a served ask then costs is the HTTP stack, validation, the
 * conversation store, the event log and presenting, without the engine's
 * ~40 % of the main thread, which hides a cut of a few per cent of the rest
 * in one machine's noise. For bench/askCpu.ts's `--entry`: the same file runs
 * against each checkout (imported from its folder), so a baseline compares.
 *
 *   npx tsx bench/askCpu.ts --entry bench/servedWithoutEngine.ts --baseline DIR
 *
 * The remembered result is the engine's own for that query, so replies and
 * events are the server's; only a question's first ask runs the engine (the
 * warm-up asks every bench question).
 */
const checkout = process.cwd();
const load = (file: string) => import(pathToFileURL(path.join(checkout, file)).href);
const { configFromEnv } = (await load('core/config/index.ts')) as typeof import('../core/config/index.ts');
const { createCore } = (await load('core/createCore.ts')) as typeof import('../core/createCore.ts');
const { createApp } = (await load('server/app.ts')) as typeof import('../server/app.ts');

const config = configFromEnv();
const core = await createCore(config);
const engine = core.engine;
const answer = engine.answer.bind(engine);
const remembered = new Map<string, ReturnType<typeof answer>>();
engine.answer = (query) => {
  const key = JSON.stringify(query);
  let result = remembered.get(key);
  if (!result) remembered.set(key, (result = answer(query)));
  return result;
};
// As server/main.ts serves the app, in a checkout that has server/httpServer.ts; else as Express's listen() does.
const httpServer = (await load('server/httpServer.ts').catch(() => null)) as
  typeof import('../server/httpServer.ts') | null;
const app = createApp({ core, config });
const server = (httpServer ? httpServer.createHttpServer(app) : createServer(app)).listen(
  config.port,
  config.host,
  () => {
    const address = server.address();
    // The line bench/askCpu.ts waits for, as server/main.ts prints it.
    process.stdout.write(
      `served without the engine: ready on http://localhost:${(address as { port: number }).port}\n`,
    );
  },
);
process.on('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  void core.close().finally(() => process.exit(0));
});
