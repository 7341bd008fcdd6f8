import net from 'node:net';
import { expect } from 'chai';
import pg from 'pg';
import { UnavailableError } from '../../core/errors.ts';
import { openPool } from '../../core/storage/postgres/openPool.ts';
import { withClient } from '../../core/storage/postgres/transaction.ts';
import { eventually } from '../helpers/eventually.ts';
import { freshDatabase, postgresUnavailable, skipWhen } from '../helpers/services.ts';

/**
 * A busy process reads its sockets late, so the server's "ready" and, just
 * after, its "terminating connection" (a restart, a failover, DROP DATABASE
 * WITH FORCE) can arrive in one read. pg then hands the new connection out
 * of the pool and emits the error in the same tick, before the borrower
 * (withClient, after an await) has attached its own 'error' listener: an
 * uncaught exception that ends the process. A proxy holds the server's bytes
 * until the session is terminated and delivers them in one write, as such a
 * late read would.
 */
describe('a connection the server ends as the pool hands it out', function () {
  this.timeout(60_000);
  let db: Awaited<ReturnType<typeof freshDatabase>> | undefined;
  let proxy: net.Server | undefined;

  before(async function () {
    const reason = await postgresUnavailable();
    skipWhen(reason, this);
    db = await freshDatabase();
  });

  after(async () => {
    proxy?.close();
    await db?.drop();
  });

  it('fails the borrower with UnavailableError, and the process lives', async () => {
    const target = new URL(db!.url);
    proxy = net.createServer((client) => {
      const server = net.connect(Number(target.port || 5432), target.hostname);
      const held: Buffer[] = [];
      client.pipe(server);
      server.on('data', (chunk: Buffer) => held.push(chunk));
      // Everything the server said, in one write, once it has hung up.
      server.on('end', () => client.end(Buffer.concat(held)));
      server.on('error', () => client.destroy());
      client.on('error', () => server.destroy());
    });
    await new Promise<void>((resolve) => proxy!.listen(0, '127.0.0.1', resolve));
    const viaProxy = new URL(db!.url);
    viaProxy.host = `127.0.0.1:${(proxy.address() as net.AddressInfo).port}`;
    const pool = openPool(viaProxy.toString(), { max: 1 });
    const admin = new pg.Client({ connectionString: db!.url });
    await admin.connect();
    try {
      const borrowed = withClient(pool, (client) => client.query('SELECT 1'));
      const outcome = borrowed.then(
        () => 'served',
        (error: unknown) => error,
      );
      // The proxied session has started (it waits for its first statement): end it.
      await eventually(
        async () =>
          (
            await admin.query(
              `SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity
                WHERE datname = current_database() AND pid <> pg_backend_pid() AND state = 'idle'`,
            )
          ).rows.length,
        { what: 'the proxied session to start' },
      );
      const error = await outcome;
      expect(error).to.be.instanceOf(UnavailableError);
    } finally {
      await admin.end();
      await pool.end();
    }
  });
});
