import { openTicket } from '../../core/commands/openTicket.ts';
import { loadConfig } from '../../core/config/index.ts';
import { openServices } from '../../core/openServices.ts';
import type { CoreServices } from '../../core/services.ts';
import { FileDeliveryQueue } from '../../core/storage/fileDeliveryQueue.ts';
import type { Delivery } from '../../core/storage/ports.ts';
import { FIXTURE_KB } from '../helpers/fixtureKb.ts';

/**
 * A process that opens a ticket through the real command and stops dead
 * right after the ticket is committed: it prints `committed <id>` and waits
 * to be killed -9 (test/storage/outbox.int.test.ts). The hook point is the
 * first step after the commit — PostgreSQL: createOnce resolved; embedded:
 * the owed deliveries about to leave the ticket file for their queues.
 * Env: DATA_DIR, DATABASE_URL (optional), WEBHOOK_URL, WEBHOOK_SECRET, IDEMPOTENCY_KEY.
 */
const hang = (id: string): Promise<never> => {
  process.stdout.write(`committed ${id}\n`);
  setInterval(() => undefined, 60_000);
  return new Promise<never>(() => undefined);
};

FileDeliveryQueue.prototype.hold = async function (deliveries: Delivery[]) {
  await hang(
    (deliveries[0]!.payload.ticket as { id: string } | undefined)?.id ?? String(deliveries[0]!.payload.ticketId),
  );
};

const config = loadConfig({
  KB_DIR: FIXTURE_KB,
  DATA_DIR: process.env.DATA_DIR!,
  ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
  WEBHOOK_URL: process.env.WEBHOOK_URL!,
  WEBHOOK_SECRET: process.env.WEBHOOK_SECRET!,
  LOG_LEVEL: 'error',
});
const services = await openServices(config);
if ((await services.storageHealth()).kind === 'postgres') {
  const createOnce = services.tickets.createOnce.bind(services.tickets);
  services.tickets.createOnce = async (...args) => hang((await createOnce(...args)).ticket.id);
}
// No answer engine is needed to open a ticket without a conversation: triage sees no ranked article.
const core = {
  ...services,
  index: { get: () => ({ manifest: {}, articles: new Map() }) },
  engine: { thresholds: { clarify: 1 } },
} as unknown as CoreServices;
await openTicket(core, {
  channel: 'api',
  email: 'ana@example.com',
  subject: 'La impresora no imprime',
  lang: 'es',
  idempotencyKey: process.env.IDEMPOTENCY_KEY!,
});
process.stdout.write('returned without stopping\n');
process.exit(1);
