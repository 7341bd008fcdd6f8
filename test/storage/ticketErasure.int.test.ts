import { expect } from 'chai';
import pg from 'pg';
import { erasePersonalData } from '../../core/privacy/erasePersonalData.ts';
import type { TicketDraft } from '../../core/storage/ports.ts';
import { describeStorageContract } from '../helpers/storageBackends.ts';
import { ticketDraft } from '../helpers/ticketDraft.ts';

const draft = (over: Partial<TicketDraft> = {}): TicketDraft => ticketDraft({ subject: 'Charged twice', ...over });

/** Erasure on request (issue 18): the verified user's attributes stored on her tickets for routing go with her. */
describeStorageContract('TicketRepository: erasure of verified attributes', (pair) => {
  it('removes her attributes from her tickets, and from the report facts kept beside them; keeps others', async () => {
    const { a, b, databaseUrl } = pair();
    const hers = await a.tickets.create(
      draft({
        verifiedUserId: 'u-ana',
        userId: 'u-ana',
        priority: 'P2',
        attributes: { plan: 'paid', company: 'Acme Ana SL' },
      }),
    );
    const his = await a.tickets.create(
      draft({ email: 'bob@example.com', userId: 'u-bob', priority: 'P2', attributes: { plan: 'paid' } }),
    );
    // The tickets report has made its facts of both (PostgreSQL keeps them in ticket_facts).
    await a.tickets.reportFacts?.('2000-01-01T00:00:00.000Z', '2100-01-01T00:00:00.000Z');

    const result = await erasePersonalData(
      { events: a.events, tickets: a.tickets, defaultLang: 'en' },
      'ana@example.com',
    );
    expect(result.counts.tickets).to.equal(1);

    const erased = await b.tickets.get(hers.id);
    expect(erased).to.not.have.property('attributes');
    expect(JSON.stringify(erased)).to.not.contain('Acme');
    expect((await b.tickets.get(his.id)).attributes).to.deep.equal({ plan: 'paid' });
    if (!databaseUrl) return;
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ id: string; facts: string }>(
        'SELECT id, facts::text AS facts FROM ticket_facts ORDER BY id',
      );
      expect(rows.map((r) => r.id)).to.deep.equal([hers.id, his.id]);
      expect(rows[0]!.facts).to.not.contain('paid');
      expect(rows[1]!.facts).to.contain('paid');
    } finally {
      await client.end();
    }
  });
});
