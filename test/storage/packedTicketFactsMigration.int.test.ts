import { expect } from 'chai';
import fs from 'node:fs/promises';
import pg from 'pg';
import { ticketFacts, type TicketFacts } from '../../core/reports/ticketFacts.ts';
import type { Stores } from '../../core/storage/ports.ts';
import { packFacts } from '../../core/storage/postgres/packedTicketFacts.ts';
import { PgTicketFacts } from '../../core/storage/postgres/pgTicketFacts.ts';
import { addAgentMessage, moveTo } from '../../core/tickets/lifecycle.ts';
import { ticketDraft } from '../helpers/ticketDraft.ts';
import { ticketsOnPostgres } from '../helpers/ticketsOnPostgres.ts';

const MIGRATION = new URL('../../migrations/postgres/0017_packed_ticket_facts.sql', import.meta.url);
const ALL = { from: '2000-01-01T00:00:00.000Z', to: '2100-01-01T00:00:00.000Z' };
const draft = ticketDraft();
const byId = (facts: Iterable<TicketFacts>) => [...facts].sort((x, y) => (x.id < y.id ? -1 : 1));

/**
 * ticket_facts' packed form (migration 0017) on PostgreSQL: facts stored
 * keyed before it are still read, the migration packs them in SQL exactly as
 * the one writer (packFacts) packs them, and a ticket written after it is
 * reported as it stands.
 */
describe('packed ticket facts (postgres, migration 0017)', function () {
  this.timeout(60_000);
  let a: Stores;
  let pool: pg.Pool;
  /** The stored texts, by ticket id. */
  const stored = async () =>
    new Map(
      (await pool.query<{ id: string; facts: string }>('SELECT id, facts::text AS facts FROM ticket_facts')).rows.map(
        (r) => [r.id, r.facts],
      ),
    );
  const current = async () => (await a.tickets.all()).map(ticketFacts);

  const instance = ticketsOnPostgres('packed:', 2, async (a) => {
    // Open, answered and solved, reopened, rated, of a paid plan: every optional fact present or absent.
    for (let i = 0; i < 6; i++) {
      const t = await a.tickets.create({
        ...draft,
        category: i % 2 ? 'billing' : undefined,
        priority: i % 3 ? 'P2' : undefined,
      });
      await a.tickets.update(t.id, (x) => {
        const at = Date.parse('2026-06-01T09:00:00Z') + i * 86_400_000;
        x.createdAt = new Date(at).toISOString();
        if (i % 3 === 2) x.attributes = { plan: 'paid' };
        if (i > 0) addAgentMessage(x, { text: 'Done', author: 'marta', status: 'solved' }, new Date(at + 3_600_000));
        if (i > 2) moveTo(x, 'open', new Date(at + 7_200_000));
        if (i === 5) x.rating = { score: 'good', at: new Date(at + 9_000_000).toISOString() };
      });
    }
    await a.tickets.reportFacts!(ALL.from, ALL.to); // a makes every ticket's facts, packed
  });

  beforeEach(async () => {
    ({ a, pool } = instance);
    // As an instance before 0017 stored them: the keyed object.
    for (const f of await current())
      await pool.query('UPDATE ticket_facts SET facts = $2::json WHERE id = $1', [f.id, JSON.stringify(f)]);
  });

  it('reads facts stored keyed, before the migration', async () => {
    expect([...(await stored()).values()].every((text) => text.startsWith('{'))).to.equal(true);
    expect(byId(await new PgTicketFacts(pool).read(ALL.from, ALL.to))).to.deep.equal(byId(await current()));
  });

  it('packs them in SQL as packFacts does, and reads them back the same', async () => {
    await pool.query(await fs.readFile(MIGRATION, 'utf8'));
    const texts = await stored();
    for (const f of await current()) expect(texts.get(f.id)).to.equal(JSON.stringify(packFacts(f)));
    expect(byId(await new PgTicketFacts(pool).read(ALL.from, ALL.to))).to.deep.equal(byId(await current()));
  });

  it('reports a ticket written after the migration as it stands, packed', async () => {
    await pool.query(await fs.readFile(MIGRATION, 'utf8'));
    const reader = new PgTicketFacts(pool);
    await reader.read(ALL.from, ALL.to);
    const open = (await a.tickets.list({ status: 'open' })).tickets[0]!;
    await a.tickets.update(open.id, (t) => void moveTo(t, 'solved', new Date('2026-07-01T08:00:00Z')));
    const facts = await reader.read(ALL.from, ALL.to);
    expect([...facts].find((f) => f.id === open.id)?.status).to.equal('solved');
    expect(byId(facts)).to.deep.equal(byId(await current()));
    const solved = [...(await current())].find((f) => f.id === open.id)!;
    expect((await stored()).get(open.id)).to.equal(JSON.stringify(packFacts(solved)));
  });
});
