import { configFromEnv, type Config } from '../core/config/index.ts';
import { openServices, type Services } from '../core/openServices.ts';
import { DataDirLockedError, lockDataDir } from '../core/storage/dataDirLock.ts';

/** What one of the resend commands (retry-webhooks, retry-mails) resends, and how it says so. */
export interface DeadQueue {
  command: string;
  /** The admin route the running server resends on (`/api/admin/…/retry`). */
  adminPath: string;
  /** A reason the command cannot run with this configuration, or undefined. */
  unavailable?: (config: Config) => string | undefined;
  resend: (
    services: Services,
  ) => Promise<{ resent: number; remaining: number; errors: { ticketId: string; error: string }[] }>;
  /** The count sentence: `Resent 3 ticket(s)`. */
  resentWhat: string;
}

/**
 * Resend a queue's dead deliveries with the server stopped: the embedded
 * queue belongs to the process holding the data directory's lock, so a
 * running server is asked through its admin route instead. With
 * DATABASE_URL the dead deliveries are in the shared queue and any process may.
 */
export async function resendDead(queue: DeadQueue, args: string[]): Promise<number> {
  if (args.length) {
    process.stderr.write(`Usage: npm run kb -- ${queue.command}\n`);
    return 2;
  }
  const config = configFromEnv();
  const reason = queue.unavailable?.(config);
  if (reason) {
    process.stderr.write(`${reason}\n`);
    return 2;
  }
  let unlock: () => Promise<void> = async () => undefined;
  try {
    if (!config.storage?.databaseUrl) unlock = await lockDataDir(config.dataDir);
  } catch (error) {
    if (!(error instanceof DataDirLockedError)) throw error;
    process.stderr.write(
      `${error.message}.\nWhile the server runs, ask it to resend instead:\n  curl -X POST -H "Authorization: Bearer $ADMIN_KEY" ${config.publicUrl}${queue.adminPath}\n`,
    );
    return 1;
  }
  let services: Services | undefined;
  try {
    services = await openServices(config);
    const r = await queue.resend(services);
    for (const e of r.errors) process.stderr.write(`${e.ticketId}: ${e.error}\n`);
    process.stdout.write(`Resent ${r.resent} ${queue.resentWhat}; ${r.remaining} still undeliverable.\n`);
    return r.remaining ? 1 : 0;
  } finally {
    await services?.close();
    await unlock();
  }
}
