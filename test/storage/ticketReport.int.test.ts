import { expect } from 'chai';
import pg from 'pg';
import { reportTickets } from '../../core/commands/reportTickets.ts';
import { ticketFacts } from '../../core/reports/ticketFacts.ts';
import { ticketReport } from '../../core/reports/tickets.ts';
import type { IndexHolder } from '../../core/services.ts';
import type { Stores, TicketDraft } from '../../core/storage/ports.ts';
import { addAgentMessage, addCustomerMessage, moveTo, rate } from '../../core/tickets/lifecycle.ts';
import type { Ticket } from '../../core/tickets/types.ts';
import { PgImport } from '../../core/storage/postgres/pgImport.ts';
import { describeStorageContract } from '../helpers/storageBackends.ts';
import { ticketDraft } from '../helpers/ticketDraft.ts';

const draft = ticketDraft;
const index = { get: () => ({ manifest: {}, articles: new Map() }) } as unknown as IndexHolder;
const JUNE = { from: '2026-06-01', to: '2026-06-30' };
const NOW = Date.parse('2026-07-15T00:00:00Z');
const at = (iso: string) => new Date(iso);

/** A ticket opened at `createdAt` whose life `story` then tells with the lifecycle rules. */
async function ticket(stores: Stores, createdAt: string, story: (t: Ticket) => void, over: Partial<TicketDraft> = {}) {
  const t = await stores.tickets.create(draft(over));
  return stores.tickets.update(t.id, (x) => {
    x.createdAt = createdAt;
    story(x);
  });
}

/**
 * The tickets report read through each store — PostgreSQL from its facts
 * table (migration 0011), kept in step with every write whichever instance
 * made it — gives the figures the pure report gives over every ticket.
 */
describeStorageContract('tickets report', (pair) => {
  const figures = async (s: Stores, groupBy: 'day' | 'category' | 'agent' = 'category', period = JUNE) =>
    reportTickets({ tickets: s.tickets, index }, { ...period, groupBy, now: NOW });
  const direct = async (s: Stores, groupBy: 'day' | 'category' | 'agent' = 'category', period = JUNE) =>
    ticketReport(
      (await s.tickets.all()).map(ticketFacts),
      {
        from: `${period.from}T00:00:00.000Z`,
        to: new Date(Date.parse(`${period.to}T00:00:00Z`) + 86_400_000).toISOString(),
      },
      groupBy,
      undefined,
      NOW,
    );

  beforeEach(async () => {
    const { a, b } = pair();
    // Answered and solved at once, rated good (billing, marta).
    await ticket(
      a,
      '2026-06-10T08:00:00.000Z',
      (t) => {
        addAgentMessage(t, { text: 'Done', author: 'marta', status: 'solved' }, at('2026-06-10T10:00:00Z'));
        rate(t, { score: 'good' }, at('2026-06-10T11:00:00Z'));
      },
      { category: 'billing' },
    );
    // Reopened two days after its solve, solved again.
    await ticket(b, '2026-06-11T08:00:00.000Z', (t) => {
      addAgentMessage(t, { text: 'Try this', author: 'luis', status: 'solved' }, at('2026-06-11T09:00:00Z'));
      addCustomerMessage(t, 'No luck', at('2026-06-13T09:00:00Z'));
      moveTo(t, 'solved', at('2026-06-14T09:00:00Z'), 'luis');
    });
    // Still open from May: backlog at the end of June, over 30 days old.
    await ticket(a, '2026-05-20T08:00:00.000Z', () => undefined);
    // Solved and closed in April: nothing to count in June.
    await ticket(b, '2026-04-01T08:00:00.000Z', (t) => {
      moveTo(t, 'solved', at('2026-04-02T08:00:00Z'));
      moveTo(t, 'closed', at('2026-04-06T08:00:00Z'));
    });
  });

  it('counts the same figures as the report over every ticket', async () => {
    const { a } = pair();
    const r = await figures(a);
    expect(r.totals).to.include({
      created: 2,
      solved: 2,
      backlog: 1,
      backlogOver30d: 1,
      firstResponses: 2,
      reopened: 1,
      firstContactResolved: 1,
      ratings: 1,
      satisfied: 1,
    });
    for (const groupBy of ['day', 'category', 'agent'] as const)
      expect(await figures(a, groupBy)).to.deep.equal(await direct(a, groupBy));
    const april = { from: '2026-04-01', to: '2026-04-30' };
    expect(await figures(a, 'day', april)).to.deep.equal(await direct(a, 'day', april));
  });

  it('follows a change made by the other instance, and a deletion', async () => {
    const { a, b } = pair();
    await figures(a); // the facts are made once here
    const open = (await b.tickets.list({ status: 'open' })).tickets[0]!;
    await b.tickets.update(open.id, (t) => void moveTo(t, 'solved', at('2026-06-20T08:00:00Z')));
    expect((await figures(a)).totals).to.include({ solved: 3, backlog: 0 });
    await b.tickets.removeWhere((t) => t.category === 'billing');
    expect((await figures(a)).totals).to.include({ created: 1, ratings: 0 });
    expect(await figures(a)).to.deep.equal(await direct(a));
  });

  it('follows a change whose facts the other instance made, over the facts it keeps decoded', async () => {
    const { a, b } = pair();
    await figures(a); // a decodes every ticket's facts and keeps them
    const open = (await b.tickets.list({ status: 'open' })).tickets[0]!;
    await b.tickets.update(open.id, (t) => void moveTo(t, 'solved', at('2026-06-20T08:00:00Z')));
    expect((await figures(b)).totals).to.include({ solved: 3, backlog: 0 }); // b makes the new facts
    expect((await figures(a)).totals).to.include({ solved: 3, backlog: 0 });
    expect(await figures(a)).to.deep.equal(await direct(a));
  });

  it('counts a ticket written outside the store once committed, never waiting for the write', async function () {
    const { a, b, databaseUrl } = pair();
    if (!databaseUrl) return this.skip(); // PostgreSQL only: SQL written by hand
    await figures(a);
    const open = (await a.tickets.list({ status: 'open' })).tickets[0]!;
    // Queued by a committed write, then held by one still open.
    const triaged = await b.tickets.update(open.id, (t) => void (t.category = 'network'));
    const solved = structuredClone(triaged);
    moveTo(solved, 'solved', at('2026-06-20T08:00:00Z'));
    const other = new pg.Client({ connectionString: databaseUrl });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query('UPDATE tickets SET status = $2, doc = $3 WHERE id = $1', [open.id, 'solved', solved]);
      // The report neither waits for the open transaction nor sees its write…
      expect((await figures(a)).totals).to.include({ solved: 2, backlog: 1 });
      await other.query('COMMIT');
      // …and counts it once committed, though no store method wrote it.
      expect((await figures(a)).totals).to.include({ solved: 3, backlog: 0 });
      expect(await figures(a)).to.deep.equal(await direct(a));
    } finally {
      await other.end();
    }
  });

  it('makes the facts of imported tickets as it imports them: the first report remakes none', async function () {
    const { a, databaseUrl } = pair();
    if (!databaseUrl) return this.skip(); // PostgreSQL only: its bulk import
    const [model] = await a.tickets.all();
    const imported = [900, 901].map((n): Ticket => ({ ...model!, id: `T-000${n}`, category: 'imported' }));
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
    try {
      await new PgImport(pool).tickets(imported, 901);
      const { rows } = await pool.query(
        `SELECT t.id, f.row_version = t.xmin::text AS fresh, d.id IS NOT NULL AS queued
           FROM tickets t LEFT JOIN ticket_facts f ON f.id = t.id LEFT JOIN ticket_facts_due d ON d.id = t.id
          WHERE t.id = ANY($1) ORDER BY t.id`,
        [imported.map((t) => t.id)],
      );
      expect(rows).to.deep.equal([
        { id: 'T-000900', fresh: true, queued: false },
        { id: 'T-000901', fresh: true, queued: false },
      ]);
    } finally {
      await pool.end();
    }
    expect(await figures(a)).to.deep.equal(await direct(a));
  });

  it('remakes facts another version of the code made, at an instance’s first report', async function () {
    const { a, b, databaseUrl } = pair();
    if (!databaseUrl) return this.skip(); // PostgreSQL only: facts kept in the database
    await figures(b); // b makes every ticket's facts
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
    try {
      // As an older TICKET_FACTS_VERSION would have left them: another shape, here another category (packed: item 10).
      await pool.query(
        `UPDATE ticket_facts SET facts_version = 0,
                facts = jsonb_set(facts::jsonb, '{10}', '"older"')::json`,
      );
    } finally {
      await pool.end();
    }
    expect(await figures(a)).to.deep.equal(await direct(a));
  });
});
