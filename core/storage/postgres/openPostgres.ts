import { describeUrl } from '../../config/storage.ts';
import { UnavailableError } from '../../errors.ts';
import { log } from '../../logger.ts';
import type { OpenedStores, StoreConfig } from '../openStores.ts';
import { openOnce } from '../openOnce.ts';
import { answers } from '../reachability.ts';
import { EventSourcedConversations } from './eventSourcedConversations.ts';
import { migrate } from './migrate.ts';
import { openPool } from './openPool.ts';
import { PgDeliveryQueue } from './pgDeliveryQueue.ts';
import { PgEventStore } from './pgEventStore.ts';
import { PgKeyValueStore } from './pgKeyValueStore.ts';
import { pgLinkKey } from './pgMailLinkKey.ts';
import { PgReportFigures } from './pgReportFigures.ts';
import { PgSnapshots } from './pgSnapshots.ts';
import { PgTicketStore } from './pgTicketStore.ts';

/** The stores in PostgreSQL, its schema migrated first: what openStores opens when DATABASE_URL is set. */
export async function openPostgres(url: string, config: StoreConfig): Promise<OpenedStores> {
  const pool = openPool(url, { max: 10 });
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
  const deliveries = new PgDeliveryQueue(pool, url);
  const mail = new PgDeliveryQueue(pool, url, 'mail');
  // Migration 0008's `queue` column is free text: a third queue needs no schema change.
  const whatsapp = new PgDeliveryQueue(pool, url, 'whatsapp');
  const tickets = new PgTicketStore(pool);
  return {
    kind: 'postgres',
    events,
    tickets,
    deliveries,
    mail,
    whatsapp,
    mailLinkKey: pgLinkKey(pool),
    conversations: new EventSourcedConversations(events),
    reportFigures: new PgReportFigures(pool),
    channelState: openOnce(() =>
      PgKeyValueStore.open<Record<string, unknown>>(pool, { ttlDays: config.bot.stateTtlDays }),
    ),
    snapshots: new PgSnapshots(pool, url, config.dataDir),
    health: async () => ({
      kind: 'postgres',
      conversations: 'database',
      database: await answers(() => pool.query('SELECT 1')),
    }),
    close: async () => {
      await tickets.close();
      await deliveries.close();
      await mail.close();
      await whatsapp.close();
      await pool.end();
    },
  };
}
