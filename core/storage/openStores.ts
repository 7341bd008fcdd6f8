import path from 'node:path';
import pg from 'pg';
import type { Config } from '../config/index.ts';
import { describeUrl } from '../config/storage.ts';
import { ConversationStore } from '../conversations/conversationStore.ts';
import { EventLog } from '../events/eventLog.ts';
import { UnavailableError } from '../errors.ts';
import { log } from '../logger.ts';
import { importDeadLetters } from '../tickets/deadLetter.ts';
import { TicketStore } from '../tickets/ticketStore.ts';
import { LocalSnapshots } from '../indexing/localSnapshots.ts';
import { FileDeliveryQueue, queueOutlet } from './fileDeliveryQueue.ts';
import { KeyValueStore } from './keyValueStore.ts';
import { fileLinkKey } from './mailLinkKey.ts';
import type { KeyValueRepository, Stores } from './ports.ts';
import { EventSourcedConversations } from './postgres/eventSourcedConversations.ts';
import { migrate } from './postgres/migrate.ts';
import { PgDeliveryQueue } from './postgres/pgDeliveryQueue.ts';
import { PgEventStore } from './postgres/pgEventStore.ts';
import { PgKeyValueStore } from './postgres/pgKeyValueStore.ts';
import { pgLinkKey } from './postgres/pgMailLinkKey.ts';
import { PgReportFigures } from './postgres/pgReportFigures.ts';
import { PgSnapshots } from './postgres/pgSnapshots.ts';
import { PgTicketStore } from './postgres/pgTicketStore.ts';
import { reportUnavailable } from './postgres/unavailable.ts';
import { openRedis } from './redis/openRedis.ts';

type StoreConfig = Pick<Config, 'dataDir' | 'storage'> & { bot: Pick<Config['bot'], 'stateTtlDays'> };

/**
 * With DATABASE_URL and REDIS_URL both set, every instance shares everything
 * that must be shared, and the data directory holds only this instance's
 * index snapshots and caches: no lock. Otherwise one process owns it.
 */
export function needsDataDirLock(config: Pick<Config, 'storage'>): boolean {
  return !(config.storage?.databaseUrl && config.storage.redisUrl);
}

/**
 * Open the configured stores: PostgreSQL (schema migrated first) when
 * DATABASE_URL is set, else the embedded files in DATA_DIR; and Redis for
 * the rate limits when REDIS_URL is set.
 */
export async function openStores(config: StoreConfig): Promise<Stores> {
  const { databaseUrl, redisUrl, redisKeyPrefix = 'deflect:' } = config.storage ?? {};
  const redis = redisUrl ? await openRedis(redisUrl, redisKeyPrefix) : undefined;
  try {
    const stores = databaseUrl ? await openPostgres(databaseUrl, config) : await openEmbedded(config);
    // Dead letters an earlier version left in this instance's DATA_DIR join the (possibly shared) queue.
    await importDeadLetters(config.dataDir, stores.deliveries).catch(async (error: unknown) => {
      await stores.close();
      throw error;
    });
    return {
      ...stores,
      ...(redis ? { redis } : {}),
      needsDataDirLock: needsDataDirLock(config),
      async health() {
        const [own, shared] = await Promise.all([
          stores.health(),
          redis ? answers(() => redis.sendCommand(['PING'])) : undefined,
        ]);
        return shared ? { ...own, redis: shared } : own;
      },
      async close() {
        await stores.close();
        await redis?.close();
      },
    };
  } catch (error) {
    await redis?.close();
    throw error;
  }
}

/** How long /healthz waits for the database or Redis before calling it unreachable. */
const HEALTH_TIMEOUT_MS = 2000;

async function openEmbedded(config: StoreConfig): Promise<Omit<Stores, 'needsDataDirLock' | 'redis'>> {
  const events = new EventLog(path.join(config.dataDir, 'events'));
  await events.init();
  const deliveries = await FileDeliveryQueue.open(config.dataDir);
  const mail = await FileDeliveryQueue.open(config.dataDir, 'mail');
  const whatsapp = await FileDeliveryQueue.open(config.dataDir, 'whatsapp');
  // Opened after the queues: what a crash left owed in the ticket file is handed to them at open.
  const tickets = await TicketStore.open(config.dataDir, queueOutlet({ webhook: deliveries, mail, whatsapp }));
  return {
    kind: 'embedded',
    events,
    tickets,
    deliveries,
    mail,
    whatsapp,
    mailLinkKey: fileLinkKey(config.dataDir),
    conversations: new ConversationStore(),
    channelState: once(() => KeyValueStore.openChannelState(config.dataDir, config.bot.stateTtlDays)),
    health: async () => ({ kind: 'embedded', conversations: 'memory' }),
    snapshots: new LocalSnapshots(config.dataDir),
    close: () => events.close(),
  };
}

async function openPostgres(url: string, config: StoreConfig): Promise<Omit<Stores, 'needsDataDirLock' | 'redis'>> {
  const pool = reportUnavailable(new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 10_000 }));
  // An idle connection dropped by the server must not crash the process; the pool opens a new one.
  pool.on('error', (error) =>
    log.warn('storage', 'postgres connection error', { database: describeUrl(url), error: error.message }),
  );
  try {
    await migrate(pool);
  } catch (error) {
    await pool.end();
    throw new UnavailableError(
      `could not prepare the PostgreSQL database ${describeUrl(url)}: ${(error as Error).message}`,
      { cause: error },
    );
  }
  log.info('storage', 'tickets, events, conversations, bot state, webhook deliveries and index snapshots in postgres', {
    database: describeUrl(url),
  });
  const events = new PgEventStore(pool);
  const deliveries = new PgDeliveryQueue(pool);
  const mail = new PgDeliveryQueue(pool, 'mail');
  // Migration 0008's `queue` column is free text: a third queue needs no schema change.
  const whatsapp = new PgDeliveryQueue(pool, 'whatsapp');
  return {
    kind: 'postgres',
    events,
    tickets: new PgTicketStore(pool),
    deliveries,
    mail,
    whatsapp,
    mailLinkKey: pgLinkKey(pool),
    conversations: new EventSourcedConversations(events),
    reportFigures: new PgReportFigures(pool),
    channelState: once(() => PgKeyValueStore.open<Record<string, unknown>>(pool, { ttlDays: config.bot.stateTtlDays })),
    snapshots: new PgSnapshots(pool, url, config.dataDir),
    health: async () => ({
      kind: 'postgres',
      conversations: 'database',
      database: await answers(() => pool.query('SELECT 1')),
    }),
    close: async () => {
      await deliveries.close();
      await mail.close();
      await whatsapp.close();
      await pool.end();
    },
  };
}

/** Whether a server answers `probe` in time; why not goes to the log, never to the caller (it may name a host or user). */
async function answers(probe: () => Promise<unknown>): Promise<'reachable' | 'unreachable'> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      probe(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${HEALTH_TIMEOUT_MS} ms`)), HEALTH_TIMEOUT_MS);
      }),
    ]);
    return 'reachable';
  } catch (error) {
    log.warn('storage', 'health check: a shared store did not answer', { error: (error as Error).message });
    return 'unreachable';
  } finally {
    clearTimeout(timer);
  }
}

/** Open on first use and share; a failed open is retried on next use rather than remembered. */
function once<T>(open: () => Promise<KeyValueRepository<T>>): () => Promise<KeyValueRepository<T>> {
  let opened: Promise<KeyValueRepository<T>> | undefined;
  return () =>
    (opened ??= open().catch((error: unknown) => {
      opened = undefined;
      throw error;
    }));
}
