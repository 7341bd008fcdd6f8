import { expect } from 'chai';
import { openTicket } from '../../core/commands/openTicket.ts';
import { migrateStore } from '../../core/commands/migrateStore.ts';
import { openToken } from '../../core/mail/linkSeal.ts';
import { openStoreMigration } from '../../core/storage/openStoreMigration.ts';
import { openStores } from '../../core/storage/openStores.ts';
import { eventually } from '../helpers/eventually.ts';
import { openTestCore } from '../helpers/core.ts';
import { freshDatabase, postgresUnavailable, skipWhen } from '../helpers/services.ts';
import { tempDir } from '../helpers/tempDir.ts';

/**
 * migrate-store (issue 15) meets the customer's e-mails: a mail still owed
 * moves into the shared queue under its id, and the key the embedded server
 * sealed follow-up links with becomes the database's, so the moved tickets'
 * later mails still carry the customer's link.
 */
describe('migrate-store moves the e-mails owed and the mail link key', function () {
  this.timeout(120_000);
  let db: Awaited<ReturnType<typeof freshDatabase>> | undefined;

  before(async function () {
    const reason = await postgresUnavailable();
    skipWhen(reason, this);
  });
  after(async () => await db?.drop());

  it('keeps the mail id and the key, and a moved ticket’s sealed link still opens', async () => {
    // Port 9 on loopback refuses: the mail waits for a retry an hour away. The data directory outlives the server.
    const data = tempDir();
    const env = { DATA_DIR: data.dir, SMTP_URL: 'smtp://127.0.0.1:9', MAIL_BACKOFF_MS: '3600000' };
    const h = await openTestCore({ env });
    let owed: string;
    let opened: Awaited<ReturnType<typeof openTicket>>;
    try {
      opened = await openTicket(h.core, { channel: 'api', email: 'kai@example.com', description: 'Monitor' });
      owed = await eventually(async () => (await h.core.mail!.all()).find((d) => d.attempts === 1)?.id);
    } finally {
      await h.close();
    }
    db = await freshDatabase();
    const config = {
      dataDir: data.dir,
      storage: { databaseUrl: db.url, redisKeyPrefix: 'x:' },
      bot: { stateTtlDays: 30 },
    };
    const migration = await openStoreMigration(config);
    let report;
    try {
      report = await migrateStore(migration, { to: 'postgres' });
    } finally {
      await migration.close();
    }
    expect(report.mail).to.deep.equal({ moved: 1, alreadyThere: 0, linkKey: 'moved' });

    const shared = await openStores(config);
    try {
      expect((await shared.mail.all()).map((d) => d.id)).to.deep.equal([owed]);
      expect(await shared.deliveries.all()).to.deep.equal([]);
      const ticket = await shared.tickets.get(opened.id);
      const sealed = ticket.customerMail!.sealedLink!;
      expect(openToken(await shared.mailLinkKey(), ticket.id, sealed)).to.equal(opened.followUpToken);
    } finally {
      await shared.close();
      data.cleanup();
    }
  });
});
