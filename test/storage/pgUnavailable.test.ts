import { expect } from 'chai';
import pg from 'pg';
import { UnavailableError } from '../../core/errors.ts';
import { PgTicketStore } from '../../core/storage/postgres/pgTicketStore.ts';
import { reportUnavailable } from '../../core/storage/postgres/unavailable.ts';

describe('PostgreSQL out of reach', () => {
  it('reads and writes fail with UnavailableError (503), not a generic error', async () => {
    // Port 1 on loopback: nothing listens, the connection is refused at once.
    const pool = reportUnavailable(
      new pg.Pool({
        connectionString: 'postgres://deflect:secret-pw@127.0.0.1:1/deflect',
        connectionTimeoutMillis: 2000,
      }),
    );
    pool.on('error', () => undefined);
    try {
      const store = new PgTicketStore(pool);
      for (const attempt of [() => store.get('T-000001'), () => store.update('T-000001', () => undefined)]) {
        const error = await attempt().catch((e: unknown) => e);
        expect(error).to.be.instanceOf(UnavailableError);
        expect((error as Error).message).to.not.include('secret-pw');
      }
    } finally {
      await pool.end();
    }
  });
});
