import { migrateStore, type MigrationReport } from '../../core/commands/migrateStore.ts';
import { configFromEnv } from '../../core/config/index.ts';
import { DataDirLockedError } from '../../core/storage/dataDirLock.ts';
import { openStoreMigration } from '../../core/storage/openStoreMigration.ts';

export const summary =
  'Move DATA_DIR (tickets, events, bot state) into DATABASE_URL: migrate-store --to postgres (server stopped; safe to re-run)';

const USAGE = 'Usage: DATABASE_URL=postgres://… npm run kb -- migrate-store --to postgres\n';

export async function run(args: string[]): Promise<number> {
  if (args.length !== 2 || args[0] !== '--to' || args[1] !== 'postgres') {
    process.stderr.write(USAGE);
    return 2;
  }
  const config = configFromEnv();
  if (!config.storage?.databaseUrl) {
    process.stderr.write(`DATABASE_URL is not set: it names the PostgreSQL database to move into.\n${USAGE}`);
    return 2;
  }
  let migration;
  try {
    migration = await openStoreMigration(config);
  } catch (error) {
    if (!(error instanceof DataDirLockedError)) throw error;
    process.stderr.write(
      `${error.message}.\nStop the server that uses it, then run this again: the move reads the data directory while nothing writes to it.\n`,
    );
    return 1;
  }
  try {
    process.stdout.write(`Moving ${config.dataDir} into ${migration.database}\n`);
    const report = await migrateStore(migration, {
      to: 'postgres',
      onProgress: (step, done) => process.stderr.write(`  ${step}: ${done}\n`),
    });
    process.stdout.write(present(report));
    return 0;
  } finally {
    await migration.close();
  }
}

function present(r: MigrationReport): string {
  const refreshed = (n?: number) => (n ? `, ${n} replaced by their newer copy here` : '');
  const lines = [
    `Tickets: ${r.tickets.moved} moved, ${r.tickets.alreadyThere} already there${refreshed(r.tickets.refreshed)}; new tickets continue after T-${String(r.tickets.nextNumberAfter).padStart(6, '0')}`,
    `Events: ${r.events.moved} moved, ${r.events.alreadyThere} already there, from ${r.events.days} day files`,
    `Bot state: ${r.channelState.moved} conversations moved, ${r.channelState.alreadyThere} already there${refreshed(r.channelState.refreshed)}`,
    `Webhook deliveries still owed: ${r.deliveries.moved} moved, ${r.deliveries.alreadyThere} already there`,
    ...(r.mail
      ? [
          `E-mails still owed: ${r.mail.moved} moved, ${r.mail.alreadyThere} already there${r.mail.linkKey === 'kept' ? '; the database had another mail link key: later mails of the moved tickets go without their link' : ''}`,
        ]
      : []),
    // Only when there were some: most deployments never turned WhatsApp on.
    ...(r.whatsapp && r.whatsapp.moved + r.whatsapp.alreadyThere
      ? [`WhatsApp replies still owed: ${r.whatsapp.moved} moved, ${r.whatsapp.alreadyThere} already there`]
      : []),
    'Skipped, left in the data directory:',
    ...r.leftInDataDir.map((l) => `  ${l.count === null ? '' : `${l.count} `}${l.what}: ${l.why}`),
    'Nothing in the data directory was changed. Running this again moves only what is missing.',
  ];
  return `${lines.join('\n')}\n`;
}
