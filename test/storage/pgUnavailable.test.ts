import { expect } from 'chai';
import pg from 'pg';
import { NotFoundError, UnavailableError } from '../../core/errors.ts';
import { PgTicketStore } from '../../core/storage/postgres/pgTicketStore.ts';
import { reportUnavailable, unavailableIfLost } from '../../core/storage/postgres/unavailable.ts';

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

  const databaseError = (code: string, message: string) =>
    Object.assign(new pg.DatabaseError(message, message.length, 'error'), { code });

  for (const { error, unavailable, description } of [
    {
      error: databaseError('57P01', 'terminating connection due to administrator command'),
      unavailable: true,
      description: 'a session terminated (a restart, a failover, pg_terminate_backend)',
    },
    {
      error: new Error('Connection terminated unexpectedly'),
      unavailable: true,
      description: 'a connection that dropped',
    },
    {
      error: new Error('Client has encountered a connection error and is not queryable'),
      unavailable: true,
      description: 'a statement sent on a connection that had dropped',
    },
    { error: databaseError('23505', 'duplicate key value'), unavailable: false, description: 'a unique violation' },
    {
      error: new NotFoundError('connection terminated', 'timeout'),
      unavailable: false,
      description: 'our own error, whatever its words',
    },
  ])
    it(`${description}: ${unavailable ? 'UnavailableError' : 'unchanged'}`, () => {
      const mapped = unavailableIfLost(error);
      if (unavailable) expect(mapped).to.be.instanceOf(UnavailableError).and.have.property('cause', error);
      else expect(mapped).to.equal(error);
    });
});
