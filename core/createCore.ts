import type { Config } from './config/index.ts';
import { AnswerEngine } from './answers/pipeline/answerEngine.ts';
import { createGenerativeFallback } from './answers/generative/createGenerativeFallback.ts';
import { countArticleFiles, loadKnowledgeBase } from './articles/loadKb.ts';
import { buildIndex } from './indexing/buildIndex.ts';
import { BUILD_CHILD_MIN_ARTICLES, buildInChild } from './indexing/child/buildInChild.ts';
import { isIndexCurrentByStamp, isIndexStale } from './indexing/indexStaleness.ts';
import { DeltaFollower } from './indexing/deltaFollower.ts';
import { deferredLoadsSettled, openSnapshot, startDeferredLoads, type KbIndex } from './indexing/kbIndex.ts';
import { calibratedWith, currentSnapshotDir } from './indexing/snapshot.ts';
import { loadPublishedIndex } from './indexing/loadPublishedIndex.ts';
import { openSearchBackend } from './indexing/meiliBackend.ts';
import { log } from './logger.ts';
import type { Embedder, WordVectors } from './search/ports.ts';
import { createEmbedder, createWordVectors, initEmbedder } from './engineModels.ts';
import { lockDataDir } from './storage/dataDirLock.ts';
import type { SnapshotPublication } from './storage/ports.ts';
import { needsDataDirLock } from './storage/openStores.ts';
import { startMaintenance } from './privacy/maintenance.ts';
import { startTicketClosing } from './tickets/closeJob.ts';
import { IndexHolder, type CoreServices } from './services.ts';
import { openServices, reportsOver, type Services } from './openServices.ts';
import { thresholdsOf } from './thresholds.ts';
import { EngineThreads } from './answers/threads/engineThreads.ts';
import { warmUp } from './answers/pipeline/warmUp.ts';
import { PooledAnswerEngine } from './answers/threads/pooledAnswerEngine.ts';
import { workerConfigOf } from './answers/threads/wire.ts';
import { DeliveryWorker } from './tickets/deliveryWorker.ts';
import { whatsAppSinkOf } from './whatsapp/whatsAppSink.ts';
import { mailSinkOf } from './mail/customerMailSink.ts';
import { startSlaAlerts } from './sla/slaAlertJob.ts';

// Where the indexer's commands and the benches have always taken them from.
export { createEmbedder, createWordVectors, initEmbedder };

export interface Core extends CoreServices {
  /** Where index snapshots are published and followed (DATA_DIR's CURRENT, or PostgreSQL). */
  snapshots: SnapshotPublication;
  embedder: Embedder;
  wordVectors: WordVectors | null;
  /**
   * The server listens: load what the start left for later (the full-text
   * index, which only /api/search reads), in the background. Without this
   * call the first search loads it.
   */
  startDeferredLoads(): void;
  /** Resolves once those deferred loads are done (or failed), whoever started them: the first search or startDeferredLoads. */
  deferredLoadsSettled(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Open everything the transports need: lock the data directory, open the
 * stores, replay recent conversations, and load the index — building it
 * first when it is missing, stale or unreadable.
 */
export async function createCore(config: Config): Promise<Core> {
  // DATABASE_URL and REDIS_URL set: the instances share the stores, and each its own DATA_DIR with no lock.
  const unlock = needsDataDirLock(config) ? await lockDataDir(config.dataDir) : async () => {};
  let stores: Services | undefined;
  try {
    // First, so an unreachable database or Redis stops the start before the index is built.
    stores = await openServices(config);
    const embedder = await initEmbedder(createEmbedder(config));
    const wordVectors = await createWordVectors(config);
    const index = await loadOrBuildIndex(config, embedder, wordVectors, stores.snapshots);
    // Its first answer, made now, is not the first asker's (1.5 s at 100k articles).
    await warmUp(index, config.defaultLang);
    // MEILI_HOST set: full-text search through Meilisearch, the in-process index behind it.
    const search = await openSearchBackend(config.backends.meili, embedder, index);
    const { events, tickets, facts, conversations } = stores;
    await conversations.restore(events, (id) => index.articles.get(id)?.title ?? id);
    const holder = new IndexHolder(search.wrap(index));
    const engineOptions = { defaultLang: config.defaultLang, thresholds: thresholdsOf(config) };
    // ENGINE_THREADS: worker threads answer beside this one once answering keeps it busy, each on the index served here.
    const threads = config.engineThreads > 0 ? new EngineThreads(config.engineThreads, workerConfigOf(config)) : null;
    threads?.serveSnapshot(index.snapshotDir, index.files, () => index.terms.sharedColumns());
    const engine = threads
      ? new PooledAnswerEngine(() => holder.get(), engineOptions, threads)
      : new AnswerEngine(() => holder.get(), engineOptions);
    // The indexer's --watch mode publishes each change as a delta on the snapshot (one DATA_DIR; PostgreSQL has none yet).
    const deltas =
      stores.snapshots.kind === 'embedded'
        ? new DeltaFollower(config.dataDir, index, (next, delta) => {
            holder.swap(search.wrap(next));
            threads?.serveDelta(delta);
          })
        : null;
    // Serve what the indexer publishes (npm run index, or its --watch mode; any instance's, on PostgreSQL) without a restart.
    const stopFollowing = stores.snapshots.follow(index.snapshotDir, async (dir) => {
      const loading = performance.now();
      const next = await openSnapshot(dir, embedder, wordVectors);
      await warmUp(next, config.defaultLang);
      // Published by an indexer run with another WORD_VECTORS (or without the package): its calibration fits another model.
      if (!calibratedWith(next.manifest, wordVectors)) {
        log.warn(
          'index',
          'the new snapshot was calibrated with other word vectors than this server reads: confidences may be off until it is indexed with the same WORD_VECTORS',
          { dir, snapshot: next.manifest.wordVectors ?? null, server: wordVectors?.id ?? null },
        );
      }
      holder.swap(search.wrap(next));
      threads?.serveSnapshot(next.snapshotDir, next.files, () => next.terms.sharedColumns());
      deltas?.rebase(next);
      log.info('index', 'serving a new index snapshot', {
        dir,
        articles: holder.get().articles.size,
        loadMs: Math.round(performance.now() - loading),
      });
    });
    const articles = () => holder.get().articles;
    const reports = reportsOver(config, facts, articles);
    // Retention and report caches, in the background (core/privacy/maintenance.ts).
    const stopMaintenance = startMaintenance({
      events,
      facts,
      retentionDays: config.reports.retentionDays,
      tickets,
      ticketRetentionDays: config.reports.ticketRetentionDays,
    });
    let worker: DeliveryWorker | undefined;
    let mailWorker: DeliveryWorker | undefined;
    let whatsAppWorker: DeliveryWorker | undefined;
    // Every instance closes solved tickets past TICKET_CLOSE_DAYS; each ticket is re-checked under the store's lock.
    const stopClosing = startTicketClosing({ tickets, sinks: stores.sinks }, { closeDays: config.tickets.closeDays });
    // Every instance checks SLA clocks; each sla.warning / sla.breached goes out once (core/commands/sendSlaAlerts.ts).
    const stopSlaAlerts = startSlaAlerts({ tickets, sinks: stores.sinks, index: holder });
    const close = async () => {
      await stopSlaAlerts();
      await stopClosing();
      await worker?.close();
      await mailWorker?.close();
      await whatsAppWorker?.close();
      await stopMaintenance();
      await stopFollowing();
      deltas?.stop();
      await threads?.close();
      search.close();
      await stores!.close();
      await unlock();
    };
    const drafts = { dir: config.reports.draftsDir, kbDir: config.kbDir, articles };
    // Off by default (GENERATIVE_FALLBACK): then there is no /api/generate at all.
    const generative = config.backends.generative.enabled ? createGenerativeFallback(config) : null;
    const { needsDataDirLock: _lock, ...services } = stores;
    // Last, once nothing can fail: WEBHOOK_URL set, this instance sends its share of the queued deliveries.
    const webhook = config.tickets.webhook;
    worker = webhook ? new DeliveryWorker(stores.deliveries, webhook).start() : undefined;
    // The customer's e-mails: every instance sends its share of the queue, over SMTP_URL or into DATA_DIR/outbox.
    const mailSink = mailSinkOf(stores.sinks);
    mailWorker = mailSink ? new DeliveryWorker(stores.mail, mailSink.sender).start() : undefined;
    // Agents' replies on WhatsApp tickets, when the channel is on: every instance sends its share of the queue.
    const whatsAppSink = whatsAppSinkOf(stores.sinks);
    whatsAppWorker = whatsAppSink ? new DeliveryWorker(stores.whatsapp, whatsAppSink.sender).start() : undefined;
    // PostgreSQL: the recent tickets report facts decoded in the background, so the first report need not wait for them.
    tickets.warmReportFacts?.();
    // The index served at start, even when a new snapshot was swapped in since (a search on that one waits for its own).
    const startDeferred = () => startDeferredLoads(index);
    return {
      ...services,
      engine,
      index: holder,
      reports,
      drafts,
      generative,
      embedder,
      wordVectors,
      startDeferredLoads: startDeferred,
      deferredLoadsSettled: () => deferredLoadsSettled(index),
      close,
    };
  } catch (error) {
    await stores?.close().catch(() => undefined);
    await unlock();
    throw error;
  }
}

async function loadOrBuildIndex(
  config: Config,
  embedder: Embedder,
  wordVectors: WordVectors | null,
  snapshots: SnapshotPublication,
): Promise<KbIndex> {
  if (snapshots.kind === 'postgres') {
    const { kbDir, dataDir, defaultLang } = config;
    return loadPublishedIndex({ kbDir, dataDir, defaultLang, embedder, wordVectors, snapshots, fullText: 'later' });
  }
  const dir = await currentSnapshotDir(config.dataDir).catch(() => null);
  // With no index yet there is nothing to compare: the build reads the KB (reading it first as well cost a 10k
  // cold start 6–11 s). An unchanged KB folder needs no reading of its articles to know the index is current.
  const stale =
    !!dir &&
    !(await isIndexCurrentByStamp(config.kbDir, config.dataDir, embedder, wordVectors)) &&
    (await isIndexStale(
      await loadKnowledgeBase(config.kbDir, { defaultLang: config.defaultLang }),
      config.dataDir,
      embedder,
      wordVectors,
    ));
  if (!stale && dir) {
    try {
      // The full-text index loads once the server listens: nothing before "ready" reads it.
      return await openSnapshot(dir, embedder, wordVectors, { fullText: 'later' });
    } catch (error) {
      log.error('index', 'current index is unreadable; rebuilding from the KB', { dir, error });
    }
  }
  log.info('index', dir ? 'index is out of date; rebuilding' : 'no index yet; building', { kbDir: config.kbDir });
  const rebuild = !!dir && !stale;
  // A large KB is built in a child process, and its snapshot opened as on a warm start: the build's peak memory
  // leaves with the child.
  const inChild = (await countArticleFiles(config.kbDir)) >= BUILD_CHILD_MIN_ARTICLES;
  const summary = inChild
    ? await buildInChild(config, { rebuild })
    : await buildIndex({
        kbDir: config.kbDir,
        dataDir: config.dataDir,
        embedder,
        wordVectors,
        defaultLang: config.defaultLang,
        rebuild,
      });
  for (const p of summary.problems) log.warn('kb', `${p.file}:${p.line} ${p.message}`, { severity: p.severity });
  log.info('index', 'index ready', {
    articles: summary.articles,
    vectors: summary.vectors,
    ms: summary.ms,
    // Where a cold start's build went (wall and CPU ms per stage), as `npm run index` prints it.
    stages: summary.stages.map((s) => ({
      name: s.name,
      thread: s.thread,
      wallMs: Math.round(s.wallMs),
      cpuMs: s.cpuMs,
    })),
    builtIn: inChild ? 'a child process' : 'this process',
  });
  return 'index' in summary
    ? summary.index
    : await openSnapshot(summary.snapshotDir, embedder, wordVectors, { fullText: 'later' });
}
