import { configFromEnv } from '../core/config/index.ts';
import { createCore } from '../core/createCore.ts';
import { configureLogger, log } from '../core/logger.ts';
import { createApp } from './app.ts';
import { createHttpServer } from './httpServer.ts';
import { collectGarbage } from './collectGarbage.ts';
import { capHeapGrowth } from './heapGrowth.ts';
import { startEmailChannel } from '../email/startEmailChannel.ts';

/** `npm start`: validate the config, open the core (building the index if needed), serve. */
const config = configFromEnv();
configureLogger({ level: config.logLevel, redactEmails: !config.logEmails });
const core = await createCore(config).catch((error: Error) => {
  log.error('start', error.message);
  process.exit(1);
});
const app = createApp({ core, config });
// E-mail in (IMAP_URL): the support mailbox is read by this process, beside the HTTP server.
const email = await startEmailChannel(core, config);
const server = createHttpServer(app).listen(config.port, config.host, () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  log.info('start', `Deflect is serving on http://localhost:${port}`, {
    kbDir: config.kbDir,
    dataDir: config.dataDir,
    articles: core.index.get().articles.size,
  });
  // A line for people and for scripts that wait for readiness.
  process.stdout.write(`Deflect ready on http://localhost:${port}\n`);
  // Then what the start left for later (the full-text index): the first search loads it, and waits for it; else it
  // loads ten seconds after "ready". Not at once: its parsing would compete with the asks that arrive right after a
  // restart, which do not need it.
  setTimeout(() => core.startDeferredLoads(), 10_000).unref();
  // Once it is in, whoever loaded it, keep the heap near what it holds from then on (see heapGrowth.ts; not during
  // the start or the load, which it slowed with a full collection every 10 % of growth), and one full collection now:
  // what loading it left behind is freed, and V8's memory reducer, which such a collection schedules, compacts the
  // heap when the server idles.
  void core.deferredLoadsSettled().then(() => {
    capHeapGrowth();
    collectGarbage();
  });
});

let closing = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (closing) return;
    closing = true;
    server.close();
    server.closeAllConnections();
    void (email?.mailbox.stop() ?? Promise.resolve()).then(() => core.close()).finally(() => process.exit(0));
  });
}
