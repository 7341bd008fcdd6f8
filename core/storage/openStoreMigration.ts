import path from 'node:path';
import pg from 'pg';
import type { Config } from '../config/index.ts';
import { describeUrl } from '../config/storage.ts';
import { DeflectError, UnavailableError } from '../errors.ts';
import { EventLog } from '../events/eventLog.ts';
import { FileDeliveryQueue } from './fileDeliveryQueue.ts';
import { TicketStore } from '../tickets/ticketStore.ts';
import { lockDataDir } from './dataDirLock.ts';
import { KeyValueStore } from './keyValueStore.ts';
import { migrate } from './postgres/migrate.ts';
import { PgDeliveryQueue } from './postgres/pgDeliveryQueue.ts';
import { PgImport } from './postgres/pgImport.ts';
import { adoptLinkKey } from './postgres/pgMailLinkKey.ts';
import { openPool } from './postgres/openPool.ts';

/** An embedded data directory, opened to be read: what the embedded stores keep there. */
export interface EmbeddedData {
  dataDir: string;
  tickets: TicketStore;
  events: EventLog;
  channelState: KeyValueStore<Record<string, unknown>>;
  /** Webhook deliveries still owed, pending or dead. */
  deliveries: FileDeliveryQueue;
  /** The customer's e-mails still owed (DATA_DIR/mail). */
  mail: FileDeliveryQueue;
  /** Agents' WhatsApp replies still owed (DATA_DIR/whatsapp). */
  whatsapp: FileDeliveryQueue;
}

/** Both ends of a move from DATA_DIR into PostgreSQL, and how to close them (the lock is released last). */
export interface StoreMigration {
  source: EmbeddedData;
  target: PgImport;
  /** The shared delivery queue the moved deliveries join. */
  deliveries: PgDeliveryQueue;
  /** The shared mail queue the moved mails join. */
  mail: PgDeliveryQueue;
  /** The shared queue the moved WhatsApp replies join. */
  whatsapp: PgDeliveryQueue;
  /** Make the data directory's mail link key the shared one, when the database has none yet. */
  adoptLinkKey(key: Buffer): Promise<'moved' | 'already there' | 'kept'>;
  /** Host and database, never the user or password: what may be printed. */
  database: string;
  close(): Promise<void>;
}

/**
 * Lock the data directory (so no embedded server writes to it while it is
 * read: a running one makes this fail with DataDirLockedError), open its
 * files, and connect to DATABASE_URL with its schema brought up to date.
 */
export async function openStoreMigration(
  config: Pick<Config, 'dataDir' | 'storage'> & { bot: Pick<Config['bot'], 'stateTtlDays'> },
): Promise<StoreMigration> {
  const url = config.storage?.databaseUrl;
  if (!url) throw new DeflectError('invalid_request', 'DATABASE_URL is not set: say which PostgreSQL to move into');
  const unlock = await lockDataDir(config.dataDir);
  let pool: pg.Pool | undefined;
  try {
    const tickets = await TicketStore.open(config.dataDir);
    // The file did not parse and was moved aside: moving "no tickets" would look like success.
    if (tickets.adapter.movedAside)
      throw new DeflectError(
        'invalid_request',
        `${path.join(config.dataDir, 'tickets.json')} did not parse and was moved to ${tickets.adapter.movedAside}; repair it and put it back before moving`,
      );
    const source: EmbeddedData = {
      dataDir: config.dataDir,
      tickets,
      events: new EventLog(path.join(config.dataDir, 'events')),
      channelState: await KeyValueStore.openChannelState(config.dataDir, config.bot.stateTtlDays),
      deliveries: await FileDeliveryQueue.open(config.dataDir),
      mail: await FileDeliveryQueue.open(config.dataDir, 'mail'),
      whatsapp: await FileDeliveryQueue.open(config.dataDir, 'whatsapp'),
    };
    pool = openPool(url, { max: 2 });
    try {
      await migrate(pool);
    } catch (error) {
      throw new UnavailableError(
        `could not prepare the PostgreSQL database ${describeUrl(url)}: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
    const open = pool;
    return {
      source,
      target: new PgImport(open),
      deliveries: new PgDeliveryQueue(open, url),
      mail: new PgDeliveryQueue(open, url, 'mail'),
      whatsapp: new PgDeliveryQueue(open, url, 'whatsapp'),
      adoptLinkKey: (key) => adoptLinkKey(open, key),
      database: describeUrl(url),
      async close() {
        await open.end();
        await unlock();
      },
    };
  } catch (error) {
    await pool?.end().catch(() => undefined);
    await unlock();
    throw error;
  }
}
