import { expect } from 'chai';
import pg from 'pg';
import { freshDatabase, postgresUnavailable, skipWhen } from '../helpers/services.ts';

/**
 * The scratch databases of the *.int.test.ts specs: drop() lets a session
 * that is closing (a pool's end() resolves before its sessions are gone)
 * close by itself, and terminates only one still open once it has waited.
 */
describe('scratch database drop (postgres)', function () {
  this.timeout(20_000);

  before(async function () {
    const reason = await postgresUnavailable();
    skipWhen(reason, this);
  });

  it('lets a session that closes meanwhile close, without terminating it', async () => {
    const db = await freshDatabase();
    const client = new pg.Client({ connectionString: db.url });
    const errors: string[] = [];
    client.on('error', (error) => errors.push(error.message));
    await client.connect();
    // Closed a moment after the drop starts, as a pool ended just before it closes its sessions.
    const closing = new Promise((resolve) => setTimeout(resolve, 200)).then(() => client.end());
    await db.drop();
    await closing;
    expect(errors).to.deep.equal([]);
  });

  it('still drops a database a session keeps open', async () => {
    const db = await freshDatabase();
    const client = new pg.Client({ connectionString: db.url });
    const errors: string[] = [];
    client.on('error', (error) => errors.push(error.message));
    await client.connect();
    await db.drop();
    await client.end().catch(() => undefined);
    expect(errors.join()).to.contain('terminating connection due to administrator command');
    const admin = new pg.Client({ connectionString: new URL('/postgres', db.url).toString() });
    await admin.connect();
    try {
      const name = new URL(db.url).pathname.slice(1);
      const { rows } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      expect(rows).to.deep.equal([]);
    } finally {
      await admin.end();
    }
  });
});
