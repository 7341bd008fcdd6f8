import { retryMails } from '../../core/commands/retryMails.ts';
import { configFromEnv } from '../../core/config/index.ts';
import { openServices, type Services } from '../../core/openServices.ts';
import { DataDirLockedError, lockDataDir } from '../../core/storage/dataDirLock.ts';

export const summary = 'Resend the dead e-mails to customers (server stopped; else use the admin API)';

export async function run(args: string[]): Promise<number> {
  if (args.length) {
    process.stderr.write('Usage: npm run kb -- retry-mails\n');
    return 2;
  }
  const config = configFromEnv();
  // With DATABASE_URL the dead mails are in the shared queue, not in this data directory.
  let unlock: () => Promise<void> = async () => undefined;
  try {
    if (!config.storage?.databaseUrl) unlock = await lockDataDir(config.dataDir);
  } catch (error) {
    if (!(error instanceof DataDirLockedError)) throw error;
    process.stderr.write(
      `${error.message}.\nWhile the server runs, ask it to resend instead:\n  curl -X POST -H "Authorization: Bearer $ADMIN_KEY" ${config.publicUrl}/api/admin/mail/retry\n`,
    );
    return 1;
  }
  let stores: Services | undefined;
  try {
    stores = await openServices(config);
    const r = await retryMails(stores);
    for (const e of r.errors) process.stderr.write(`${e.ticketId}: ${e.error}\n`);
    process.stdout.write(`Resent ${r.resent} e-mail(s); ${r.remaining} still undeliverable.\n`);
    return r.remaining ? 1 : 0;
  } finally {
    await stores?.close();
    await unlock();
  }
}
