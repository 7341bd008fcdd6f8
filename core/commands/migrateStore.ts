import { DeflectError } from '../errors.ts';
import type { EmbeddedData } from '../storage/openStoreMigration.ts';
import type { DeliveryQueue } from '../storage/ports.ts';
import { readLinkKey } from '../storage/mailLinkKey.ts';
import { numberOf, type ImportCount, type PgImport } from '../storage/postgres/pgImport.ts';
import { readDeadLetters } from '../tickets/deadLetter.ts';

/** What a move did, per store, and what it left in the data directory on purpose. */
export interface MigrationReport {
  tickets: ImportCount & { nextNumberAfter: number };
  events: ImportCount & { days: number };
  channelState: ImportCount;
  /** Webhook deliveries still owed (pending and dead, and an earlier version's dead-letter file), with their delivery ids. */
  deliveries: ImportCount;
  /** The customer's e-mails still owed, and the key their follow-up links are sealed with (absent when none was made). */
  mail?: ImportCount & { linkKey?: 'moved' | 'already there' | 'kept' };
  /** Agents' WhatsApp replies still owed (absent when the target has no such queue). */
  whatsapp?: ImportCount;
  /** Files the PostgreSQL mode does not read from the database, with why they stay. */
  leftInDataDir: { what: string; count: number | null; why: string }[];
}

/**
 * Move an embedded data directory (tickets, the event log, the channels'
 * state) into PostgreSQL, keeping every id: the tickets' (and the id
 * sequence continues after the highest ever given), the events' (so a re-run
 * inserts nothing twice and an interrupted run finishes on the next), the
 * state's keys. Refuses, before writing anything, when the database gives
 * one of these ticket ids to another ticket. Reads DATA_DIR and changes
 * nothing there (a tickets.json that does not parse is moved aside, as the
 * server does, and the move stops before it: openStoreMigration).
 */
export async function migrateStore(
  stores: {
    source: EmbeddedData;
    target: PgImport;
    deliveries: DeliveryQueue;
    mail?: DeliveryQueue;
    whatsapp?: DeliveryQueue;
    adoptLinkKey?: (key: Buffer) => Promise<'moved' | 'already there' | 'kept'>;
  },
  input: { to: 'postgres'; onProgress?: (step: string, done: number) => void },
): Promise<MigrationReport> {
  const { source, target } = stores;
  const progress = input.onProgress ?? (() => undefined);

  const tickets = await source.tickets.all();
  const clashes = await target.ticketClashes(tickets);
  if (clashes.length)
    throw new DeflectError(
      'conflict',
      `the database already holds other tickets under ${clashes.length} of these ids (${clashes
        .slice(0, 5)
        .map((c) => `${c.id}: created ${c.databaseCreatedAt} there, ${c.embeddedCreatedAt} here`)
        .join('; ')}); nothing was moved: move into a database no instance has written tickets to`,
      { clashes },
    );
  // Retention may have removed the newest tickets: their numbers are not given again.
  const highest = tickets.reduce((n, t) => Math.max(n, numberOf(t.id)), source.tickets.lastNumber());
  const ticketCount = await target.tickets(tickets, highest);
  progress('tickets', tickets.length);

  const events = { moved: 0, alreadyThere: 0, days: 0 };
  for (const day of await source.events.days()) {
    const count = await target.events(day, await source.events.readDay(day));
    events.moved += count.moved;
    events.alreadyThere += count.alreadyThere;
    events.days += 1;
    progress(`events ${day}`, events.moved + events.alreadyThere);
  }

  const channelState = await target.channelState(source.channelState.entries());
  progress('channel state', channelState.moved + channelState.alreadyThere + (channelState.refreshed ?? 0));

  // Kept with their delivery ids, so receivers that took one before the move can tell a resend.
  // With those a crash left owed in tickets.json (the outbox), not yet in the queue's journal.
  const owed = [
    ...(await source.deliveries.all()),
    ...source.tickets.owed('webhook'),
    ...((await readDeadLetters(source.dataDir)) ?? []),
  ];
  const added = await stores.deliveries.adopt(owed);
  const deliveries = { moved: added, alreadyThere: owed.length - added };
  progress('webhook deliveries', owed.length);

  // Mails owed go on from the shared queue; the key goes first, so the links sealed here still open there.
  let mail: MigrationReport['mail'];
  if (stores.mail && source.mail) {
    const key = await readLinkKey(source.dataDir);
    const linkKey = key && stores.adoptLinkKey ? await stores.adoptLinkKey(key) : undefined;
    const mails = [...(await source.mail.all()), ...source.tickets.owed('mail')];
    const moved = await stores.mail.adopt(mails);
    mail = { moved, alreadyThere: mails.length - moved, ...(linkKey ? { linkKey } : {}) };
    progress('mails', mails.length);
  }

  // Agents' WhatsApp replies owed go on from the shared queue, with their ids (the sent record is keyed by them).
  let whatsapp: MigrationReport['whatsapp'];
  if (stores.whatsapp && source.whatsapp) {
    const replies = [...(await source.whatsapp.all()), ...source.tickets.owed('whatsapp')];
    const moved = await stores.whatsapp.adopt(replies);
    whatsapp = { moved, alreadyThere: replies.length - moved };
    progress('whatsapp replies', replies.length);
  }

  return {
    tickets: { ...ticketCount, nextNumberAfter: highest },
    events,
    channelState,
    deliveries,
    ...(mail ? { mail } : {}),
    ...(whatsapp ? { whatsapp } : {}),
    leftInDataDir: leftBehind(),
  };
}

/** What stays in DATA_DIR: the files each instance keeps for itself in the PostgreSQL mode. */
function leftBehind(): MigrationReport['leftInDataDir'] {
  return [
    {
      what: 'index snapshots (index/), report caches (reports/), the event files and webhooks/ themselves',
      count: null,
      why: 'give each instance a new DATA_DIR: it builds its own index, and report caches there follow the database',
    },
  ];
}
