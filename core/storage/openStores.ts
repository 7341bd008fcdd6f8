import path from 'node:path';
import type { Config } from '../config/index.ts';
import { ConversationStore } from '../conversations/conversationStore.ts';
import { EventLog } from '../events/eventLog.ts';
import { importDeadLetters } from '../tickets/deadLetter.ts';
import { TicketStore } from '../tickets/ticketStore.ts';
import { LocalSnapshots } from '../indexing/localSnapshots.ts';
import { FileDeliveryQueue, queueOutlet } from './fileDeliveryQueue.ts';
import { KeyValueStore } from './keyValueStore.ts';
import { fileLinkKey } from './mailLinkKey.ts';
import type { Stores } from './ports.ts';
import { openOnce } from './openOnce.ts';
import { answers } from './reachability.ts';

/** What opening the stores reads of the config. */
export type StoreConfig = Pick<Config, 'dataDir' | 'storage'> & { bot: Pick<Config['bot'], 'stateTtlDays'> };

/**
 * With DATABASE_URL and REDIS_URL both set, every instance shares everything
 * that must be shared, and the data directory holds only this instance's
 * index snapshots and caches: no lock. Otherwise one process owns it.
 */
export function needsDataDirLock(config: Pick<Config, 'storage'>): boolean {
  return !(config.storage?.databaseUrl && config.storage.redisUrl);
}

/** The stores one backend opens; openStores adds Redis and the data directory's lock. */
export type OpenedStores = Omit<Stores, 'needsDataDirLock' | 'redis'>;

/**
 * Open the configured stores: PostgreSQL (schema migrated first) when
 * DATABASE_URL is set, else the embedded files in DATA_DIR; and Redis for
 * the rate limits when REDIS_URL is set.
 */
export async function openStores(config: StoreConfig): Promise<Stores> {
  const { databaseUrl, redisUrl, redisKeyPrefix = 'deflect:' } = config.storage ?? {};
  // PostgreSQL's and Redis's modules (and the pg and redis packages) are loaded only when configured.
  const redis = redisUrl
    ? await import('./redis/openRedis.ts').then(({ openRedis }) => openRedis(redisUrl, redisKeyPrefix))
    : undefined;
  try {
    const stores = databaseUrl
      ? await import('./postgres/openPostgres.ts').then(({ openPostgres }) => openPostgres(databaseUrl, config))
      : await openEmbedded(config);
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

async function openEmbedded(config: StoreConfig): Promise<OpenedStores> {
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
    channelState: openOnce(() => KeyValueStore.openChannelState(config.dataDir, config.bot.stateTtlDays)),
    health: async () => ({ kind: 'embedded', conversations: 'memory' }),
    snapshots: new LocalSnapshots(config.dataDir),
    close: () => events.close(),
  };
}
