import path from 'node:path';
import type { Config } from './config/index.ts';
import { loadKnowledgeBase } from './articles/loadKb.ts';
import type { Article } from './articles/types.ts';
import { EventLog } from './events/eventLog.ts';
import { FactStore } from './reports/factStore.ts';
import { Reports } from './reports/reports.ts';
import type { CoreServices } from './services.ts';
import { openStores } from './storage/openStores.ts';
import type { Stores as StoragePorts } from './storage/ports.ts';
import { closeSinks, createSinks } from './tickets/createSinks.ts';
import { CustomerMailSink } from './mail/customerMailSink.ts';
import { linkKeyFrom } from './mail/linkSeal.ts';
import { createMailSender } from './mail/mailSender.ts';
import { thresholdsOf } from './thresholds.ts';

/** What must last, without the index: what createCore serves from, and what the CLI's data commands need. */
export type Services = Pick<
  CoreServices,
  | 'events'
  | 'tickets'
  | 'conversations'
  | 'sinks'
  | 'deliveries'
  | 'facts'
  | 'reportFigures'
  | 'channelState'
  | 'redis'
  | 'defaultLang'
  | 'storageHealth'
> &
  Pick<StoragePorts, 'needsDataDirLock' | 'snapshots' | 'close' | 'mail' | 'whatsapp'>;

type ServicesConfig = Pick<Config, 'dataDir' | 'tickets' | 'bot' | 'defaultLang' | 'storage' | 'publicUrl' | 'mail'> &
  Partial<Pick<Config, 'whatsapp' | 'email'>>;

/**
 * Open the stores (core/storage/openStores.ts: PostgreSQL and Redis when
 * configured, else the data directory's files), each once, and what is built
 * on them: the webhook sink and its delivery queue, the report facts (with
 * their cache). The caller holds the data directory's lock when one is needed.
 */
export async function openServices(config: ServicesConfig): Promise<Services> {
  const stores = await openStores(config);
  const sinks = createSinks(config, stores);
  // Every deployment mails its customers: over SMTP_URL, or into DATA_DIR/outbox (core/mail/mailSender.ts).
  sinks.push(
    new CustomerMailSink({
      queue: stores.mail,
      linkKey: linkKeyFrom(config.mail.linkSecret, stores.mailLinkKey),
      publicUrl: config.publicUrl,
      mail: config.mail,
      sender: createMailSender(config.mail, config.dataDir),
      ...(config.email ? { replyAddress: config.email.address } : {}),
    }),
  );
  const facts = FactStore.forDataDir(stores.events, config.dataDir, { cache: true, figures: stores.reportFigures });
  const close = async () => {
    await closeSinks(sinks);
    await stores.close();
  };
  const {
    events,
    tickets,
    conversations,
    deliveries,
    channelState,
    redis,
    needsDataDirLock,
    snapshots,
    mail,
    reportFigures,
  } = stores;
  return {
    events,
    tickets,
    conversations,
    channelState,
    ...(redis ? { redis } : {}),
    ...(reportFigures ? { reportFigures } : {}),
    needsDataDirLock,
    storageHealth: () => stores.health(),
    snapshots,
    sinks,
    deliveries,
    mail,
    whatsapp: stores.whatsapp,
    facts,
    defaultLang: config.defaultLang,
    close,
  };
}

/** The reports over a data directory's facts, naming the `articles` given (the index's, or the KB folder's), at the configured clarify threshold. */
export function reportsOver(
  config: Pick<Config, 'kbDir' | 'deflectionWindowDays' | 'answerThreshold' | 'clarifyThreshold'>,
  facts: FactStore,
  articles: () => ReadonlyMap<string, Article>,
): Reports {
  return new Reports({
    store: facts,
    articles,
    kbDir: config.kbDir,
    windowDays: config.deflectionWindowDays,
    clarifyThreshold: thresholdsOf(config).clarify,
  });
}

/**
 * Reports and drafts for a CLI beside a running server: the articles are read
 * from KB_DIR, the events read-only, and no report cache is written (the
 * server owns the data directory). With DATABASE_URL set the events are the
 * shared log every instance writes, not this data directory's files.
 */
export async function openReportsReadOnly(
  config: Config,
): Promise<Pick<CoreServices, 'reports' | 'drafts'> & { close(): Promise<void> }> {
  const kb = await loadKnowledgeBase(config.kbDir, { defaultLang: config.defaultLang });
  const map = new Map(kb.articles.map((a) => [a.id, a]));
  const articles = () => map;
  const shared = config.storage?.databaseUrl ? await openStores(config) : undefined;
  const facts = FactStore.forDataDir(
    shared?.events ?? new EventLog(path.join(config.dataDir, 'events')),
    config.dataDir,
    {
      cache: false,
      figures: shared?.reportFigures,
    },
  );
  return {
    reports: reportsOver(config, facts, articles),
    drafts: { dir: config.reports.draftsDir, kbDir: config.kbDir, articles },
    close: async () => await shared?.close(),
  };
}
