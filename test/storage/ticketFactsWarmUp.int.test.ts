import { expect } from 'chai';
import pg from 'pg';
import type { TicketFacts } from '../../core/reports/ticketFacts.ts';
import type { Stores } from '../../core/storage/ports.ts';
import { PgTicketFacts, WARM_DAYS } from '../../core/storage/postgres/pgTicketFacts.ts';
import { addAgentMessage, moveTo } from '../../core/tickets/lifecycle.ts';
import { ticketDraft } from '../helpers/ticketDraft.ts';
import { ticketsOnPostgres } from '../helpers/ticketsOnPostgres.ts';

const DAY = 86_400_000;
const NOW = Date.parse('2026-07-15T00:00:00Z');
/** The period a warm-up at NOW decodes. */
const WARM = { from: new Date(NOW - WARM_DAYS * DAY).toISOString(), to: new Date(NOW + DAY).toISOString() };
const JUNE = { from: '2026-06-01T00:00:00.000Z', to: '2026-07-01T00:00:00.000Z' };
const draft = ticketDraft();
const byId = (facts: Iterable<TicketFacts>) => [...facts].sort((x, y) => (x.id < y.id ? -1 : 1));

/**
 * A new instance's report facts (PostgreSQL): the first read fetches the
 * period in slices instead of listing it, a read missing many facts fetches
 * them by the period's condition, and the background warm-up a server starts
 * is shared with a report arriving meanwhile and stopped by close(). Each
 * gives the facts an instance that has read them all along gives.
 */
describe('tickets report facts of a new instance (postgres)', function () {
  this.timeout(60_000);
  /** The instance that wrote the tickets and made their facts. */
  let a: Stores;
  let pool: pg.Pool;
  /** Chunk queries (the facts fetched) sent through `pool`. */
  let fetches: number;

  const instance = ticketsOnPostgres('warm:', 4, async (a) => {
    // Twelve tickets from late May to mid July, every other one answered and solved two days later.
    for (let i = 0; i < 12; i++) {
      const t = await a.tickets.create({ ...draft, category: i % 3 ? 'billing' : 'network' });
      const created = Date.parse('2026-05-25T09:00:00Z') + i * 4 * DAY;
      await a.tickets.update(t.id, (x) => {
        x.createdAt = new Date(created).toISOString();
        if (i % 2) addAgentMessage(x, { text: 'Done', author: 'marta', status: 'solved' }, new Date(created + 2 * DAY));
      });
    }
    await a.tickets.reportFacts!(WARM.from, WARM.to); // a makes every ticket's facts
  });

  beforeEach(async () => {
    ({ a, pool } = instance);
    fetches = 0;
    const query = pool.query.bind(pool) as (...args: unknown[]) => unknown;
    pool.query = ((...args: unknown[]) => {
      const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string }).text;
      if (text?.includes('string_agg')) fetches++;
      return query(...args);
    }) as typeof pool.query;
  });

  it('reads the period in one pass at its first read, the facts a listing instance reads', async () => {
    const fresh = new PgTicketFacts(pool);
    const first = await fresh.read(JUNE.from, JUNE.to);
    expect(first.size).to.be.greaterThan(0);
    expect(byId(first)).to.deep.equal(byId(await a.tickets.reportFacts!(JUNE.from, JUNE.to)));
    // Listed now that it holds facts: the same again, nothing fetched anew.
    const before = fetches;
    expect(byId(await fresh.read(JUNE.from, JUNE.to))).to.deep.equal(byId(first));
    expect(fetches).to.equal(before);
  });

  it('fetches many missing facts by the period, after a change and a deletion', async () => {
    const fresh = new PgTicketFacts(pool, 0); // every miss fetched by the period
    await fresh.read('2026-07-10T00:00:00.000Z', '2026-07-11T00:00:00.000Z'); // a few tickets decoded
    const open = (await a.tickets.list({ status: 'open' })).tickets[0]!;
    await a.tickets.update(open.id, (t) => void moveTo(t, 'solved', new Date('2026-06-20T08:00:00Z')));
    await a.tickets.removeWhere((t) => t.category === 'network' && t.status === 'solved');
    expect(byId(await fresh.read(WARM.from, WARM.to))).to.deep.equal(
      byId(await a.tickets.reportFacts!(WARM.from, WARM.to)),
    );
  });

  it('makes a read during the warm-up wait for it, fetching the facts once', async () => {
    const cold = new PgTicketFacts(pool);
    const alone = await cold.read(WARM.from, WARM.to);
    const once = fetches;
    fetches = 0;
    const warming = new PgTicketFacts(pool);
    warming.warm(NOW);
    const during = await warming.read(WARM.from, WARM.to);
    expect(byId(during)).to.deep.equal(byId(alone));
    expect(fetches).to.equal(once);
  });

  it('stops the warm-up at close() without a failure or a query left running', async () => {
    const failures: unknown[] = [];
    const record = (error: unknown) => failures.push(error);
    process.on('unhandledRejection', record);
    try {
      const warming = new PgTicketFacts(pool);
      warming.warm(NOW);
      await warming.close();
      await warming.close(); // twice: still nothing to wait for
      expect(pool.waitingCount).to.equal(0);
      expect(pool.totalCount - pool.idleCount).to.equal(0); // no client still checked out
      await new Promise((resolve) => setImmediate(resolve));
      expect(failures).to.deep.equal([]);
    } finally {
      process.off('unhandledRejection', record);
    }
  });

  it('reports a ticket written during the warm-up as it now stands', async () => {
    const warming = new PgTicketFacts(pool);
    warming.warm(NOW);
    const open = (await a.tickets.list({ status: 'open' })).tickets[0]!;
    await a.tickets.update(open.id, (t) => void moveTo(t, 'solved', new Date('2026-07-01T08:00:00Z')));
    const facts = await warming.read(WARM.from, WARM.to);
    expect([...facts].find((f) => f.id === open.id)?.status).to.equal('solved');
    expect(byId(facts)).to.deep.equal(byId(await a.tickets.reportFacts!(WARM.from, WARM.to)));
  });
});
