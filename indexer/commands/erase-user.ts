import { eraseUser } from '../../core/commands/eraseUser.ts';
import { configFromEnv } from '../../core/config/index.ts';
import { openServices, type Services } from '../../core/openServices.ts';
import { DataDirLockedError, lockDataDir } from '../../core/storage/dataDirLock.ts';
import { needsDataDirLock } from '../../core/storage/openStores.ts';

export const summary =
  "Erase a person's e-mail (or WhatsApp number) and name from events, tickets and undelivered deliveries: erase-user <email|number> (server stopped; else use the admin API)";

export async function run(args: string[]): Promise<number> {
  const email = args[0]?.trim();
  if (!email || args.length > 1) {
    process.stderr.write('Usage: npm run kb -- erase-user <email | WhatsApp number>\n');
    return 2;
  }
  // Someone known only on WhatsApp is named by their number (the wa_id: digits, country code first).
  const who = email.includes('@') ? { email } : { phone: email };
  const config = configFromEnv();
  // One writer per file: the events and tickets belong to whoever holds the data directory (embedded stores only).
  let unlock: () => Promise<void> = async () => {};
  try {
    if (needsDataDirLock(config)) unlock = await lockDataDir(config.dataDir);
  } catch (error) {
    if (!(error instanceof DataDirLockedError)) throw error;
    process.stderr.write(
      `${error.message}.\nWhile the server runs, ask it to erase instead:\n  curl -X POST -H "Authorization: Bearer $ADMIN_KEY" -H "Content-Type: application/json" -d '${JSON.stringify(who)}' ${config.publicUrl}/api/admin/erase-user\n`,
    );
    return 1;
  }
  let stores: Services | undefined;
  try {
    stores = await openServices(config); // DATABASE_URL set: the shared stores every instance uses
    const result = await eraseUser(stores, who);
    const c = result.counts;
    process.stdout.write(
      `Erased: ${c.events} events on ${c.days} days, ${c.tickets} tickets, ${c.deadLetters} undelivered deliveries, ${c.channelStates} bot states. Recorded as erasure ${result.subjectHash.slice(0, 16)}…\n`,
    );
    return 0;
  } finally {
    await stores?.close();
    await unlock();
  }
}
