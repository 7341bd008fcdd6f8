import { expect } from 'chai';
import pg from 'pg';
import type { TicketFacts } from '../../core/reports/ticketFacts.ts';
import type { Stores } from '../../core/storage/ports.ts';
import { PgTicketFacts } from '../../core/storage/postgres/pgTicketFacts.ts';
import { addAgentMessage, moveTo } from '../../core/tickets/lifecycle.ts';
import { ticketDraft } from '../helpers/ticketDraft.ts';
import { ticketsOnPostgres } from '../helpers/ticketsOnPostgres.ts';

const DAY = 86_400_000;
const ALL = { from: '2000-01-01T00:00:00.000Z', to: '2100-01-01T00:00:00.000Z' };
const draft = ticketDraft();
const byId = (facts: Iterable<TicketFacts>) => [...facts].sort((x, y) => (x.id < y.id ? -1 : 1));

/**
 * Two tickets reports of one instance in flight at once (PostgreSQL): while
 * the first waits for the facts it fetches, a ticket is deleted and another
 * created, and the second report runs to the end. Each report gives the facts
 * an instance that never held any gives over the tickets it was asked about:
 * the deleted ticket's place is never given to the new one in the first report.
 */
describe('tickets report facts of overlapping reports (postgres)', function () {
  this.timeout(60_000);
  /** The instance that writes the tickets and makes their facts. */
  let a: Stores;
  let pool: pg.Pool;
  /** Set to hold the next facts fetch sent through `pool` until `release` is called. */
  let hold: { reached: () => void; gate: Promise<void> } | undefined;

  const instance = ticketsOnPostgres('overlap:', 4, async (a) => {
    // Eight tickets in June, every other one answered and solved a day later: each has status changes.
    for (let i = 0; i < 8; i++) {
      const t = await a.tickets.create({ ...draft, category: i % 2 ? 'billing' : 'network' });
      const created = Date.parse('2026-06-01T09:00:00Z') + i * DAY;
      await a.tickets.update(t.id, (x) => {
        x.createdAt = new Date(created).toISOString();
        if (i % 2) addAgentMessage(x, { text: 'Done', author: 'marta', status: 'solved' }, new Date(created + DAY));
      });
    }
    await a.tickets.reportFacts!(ALL.from, ALL.to);
  });

  beforeEach(async () => {
    ({ a, pool } = instance);
    hold = undefined;
    // The one await point held: a facts fetch (CHUNKS), sent once the report has listed and swept its period.
    const query = pool.query.bind(pool) as (...args: unknown[]) => Promise<unknown>;
    pool.query = ((...args: unknown[]) => {
      const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string }).text;
      const held = hold;
      if (!held || !text?.includes('string_agg')) return query(...args);
      hold = undefined;
      held.reached();
      return held.gate.then(() => query(...args));
    }) as typeof pool.query;
  });

  /** The facts a new instance reads now: what a report of `reader` must equal. */
  const fresh = async () => byId(await new PgTicketFacts(pool).read(ALL.from, ALL.to));

  it('gives each report the facts of its own tickets when a ticket is deleted and another created between them', async () => {
    const reader = new PgTicketFacts(pool);
    await reader.read(ALL.from, ALL.to); // every ticket's facts held, one slot each
    const tickets = (await a.tickets.list({})).tickets;
    const changed = tickets.find((t) => t.status === 'open')!;
    const deleted = tickets.find((t) => t.status === 'solved')!;
    // Changed, its facts made by another instance: the first report must fetch them, and waits there.
    await a.tickets.update(changed.id, (t) => void moveTo(t, 'solved', new Date('2026-06-20T08:00:00Z')));
    await a.tickets.reportFacts!(ALL.from, ALL.to);

    let reached!: () => void;
    const atFetch = new Promise<void>((resolve) => (reached = resolve));
    let release!: () => void;
    hold = { reached, gate: new Promise<void>((resolve) => (release = resolve)) };
    const first = reader.read(ALL.from, ALL.to);
    await atFetch; // listed with the ticket about to be deleted, its slot among those it hands out

    await a.tickets.removeWhere((t) => t.id === deleted.id);
    // The first report hands out after the deletion: the deleted ticket is not in it, the new one not yet.
    const firstExpected = await fresh();
    expect(firstExpected.map((f) => f.id)).to.not.include(deleted.id);

    const created = await a.tickets.create({ ...draft, category: 'network' });
    await a.tickets.update(created.id, (x) => void (x.createdAt = '2026-06-25T09:00:00.000Z'));
    await a.tickets.reportFacts!(ALL.from, ALL.to); // made elsewhere: the second report fetches them after its sweep
    const second = byId(await reader.read(ALL.from, ALL.to));
    const secondExpected = await fresh();
    expect(secondExpected.map((f) => f.id)).to.include(created.id);
    expect(second).to.deep.equal(secondExpected);

    release();
    expect(byId(await first)).to.deep.equal(firstExpected);
    // And a third report, alone, is as a new instance's.
    expect(byId(await reader.read(ALL.from, ALL.to))).to.deep.equal(await fresh());
  });
});
