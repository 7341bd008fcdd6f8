import { expect } from 'chai';
import { countTickets } from '../../core/commands/countTickets.ts';
import { listTickets } from '../../core/commands/listTickets.ts';
import type { CoreServices } from '../../core/services.ts';
import type { TicketQuery } from '../../core/tickets/ticketStore.ts';

/** A ticket store that records the query it was given. */
function recordingStore() {
  const queries: TicketQuery[] = [];
  const tickets = { list: (q: TicketQuery) => (queries.push(q), { tickets: [], total: 0, page: 1, pageSize: 50 }) };
  return { core: { tickets } as unknown as Pick<CoreServices, 'tickets'>, queries };
}

describe("listTickets: the agents' queue", () => {
  it('includes the whole last day when `to` is a date, as reports do', () => {
    const { core, queries } = recordingStore();
    listTickets(core, { from: '2026-03-01', to: '2026-03-01' });
    expect(queries[0]).to.include({ from: '2026-03-01', to: '2026-03-02T00:00:00.000Z' });
  });

  it('passes an ISO `to` through as the exclusive end', () => {
    const { core, queries } = recordingStore();
    listTickets(core, { to: '2026-03-01T12:00:00Z', status: 'open' });
    expect(queries[0]).to.include({ to: '2026-03-01T12:00:00Z', status: 'open' });
  });
});

describe('countTickets: the counts on the status tabs', () => {
  it('counts in any order without ordering the queue (the queue keys are not touched for a count)', async () => {
    const { core, queries } = recordingStore();
    await countTickets(core, { team: 'billing', sort: 'queue' });
    expect(queries).to.have.length(5);
    for (const q of queries) {
      expect(q).to.not.have.property('queue');
      expect(q).to.include({ team: 'billing', page: 1, pageSize: 1 });
    }
  });
});
