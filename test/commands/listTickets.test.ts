import { expect } from 'chai';
import { countTickets } from '../../core/commands/countTickets.ts';
import { listTickets } from '../../core/commands/listTickets.ts';
import type { CoreServices } from '../../core/services.ts';
import { slaSchema } from '../../core/sla/slaPolicy.ts';
import { withSla } from '../../core/sla/ticketSla.ts';
import type { TicketQuery } from '../../core/tickets/ticketStore.ts';
import type { Ticket } from '../../core/tickets/types.ts';

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

describe('listTickets: each listed ticket with its SLA', () => {
  const sla = slaSchema.parse({
    timezone: 'Europe/Madrid',
    hours: { 'mon-fri': ['09:00-14:00', '15:00-18:00'] },
    holidays: ['2026-10-12', '2026-12-08'],
    targets: { P1: { firstResponse: '1h', resolution: '8h' }, P2: { firstResponse: '4h' }, P3: { resolution: '40h' } },
    plans: { paid: { P3: { firstResponse: '2h' } } },
  });
  const index = { get: () => ({ manifest: { sla } }) } as unknown as CoreServices['index'];
  const now = new Date('2026-12-09T10:30:00Z');
  /** A page of fifty: from two months old to an hour old, every status, paused and reopened, answered or not. */
  const page: Ticket[] = Array.from({ length: 50 }, (_, i) => {
    const created = Date.parse('2026-10-09T08:00:00Z') + i * 29 * 3_600_000;
    const at = (h: number) => new Date(created + h * 3_600_000).toISOString();
    const status = (['open', 'pending', 'on_hold', 'solved', 'closed'] as const)[i % 5]!;
    return {
      id: `T-${i}`,
      createdAt: at(0),
      status,
      ...(['P1', 'P2', 'P3', 'P4', undefined][(i % 7) % 5]
        ? { priority: (['P1', 'P2', 'P3', 'P4'] as const)[(i % 7) % 5] }
        : {}),
      ...(i % 4 === 0 ? { attributes: { plan: 'paid' } } : {}),
      ...(i % 3 === 0 ? { firstResponseAt: at(2) } : {}),
      statusHistory:
        status === 'open'
          ? i % 2
            ? [
                { at: at(1), status: 'pending' as const },
                { at: at(30), status: 'open' as const },
              ]
            : []
          : [{ at: at(5), status }],
    } as Ticket;
  });
  const store = { list: () => ({ tickets: page.map((t) => ({ ...t })), total: 50, page: 1, pageSize: 50 }) };
  const core = { tickets: store, index } as unknown as Pick<CoreServices, 'tickets' | 'index'>;

  it('shows the same SLA as the ticket alone would (due times, state, clocks)', async () => {
    const listed = await listTickets(core, { now });
    expect(listed.tickets.map((t) => t.slaStatus)).to.deep.equal(page.map((t) => withSla({ index }, t, now).slaStatus));
    expect(listed.tickets.filter((t) => t.slaStatus).length).to.be.greaterThan(30);
  });

  it('walks the business calendar once for the page, not once per ticket from its creation', async () => {
    // The walk's cost is its time-zone lookups (Intl, a few per day walked): counted here.
    const proto = Intl.DateTimeFormat.prototype;
    const original = proto.formatToParts;
    let lookups = 0;
    proto.formatToParts = function (this: Intl.DateTimeFormat, d?: Date | number) {
      lookups++;
      return original.call(this, d);
    };
    try {
      withSla({ index }, page[0]!, now);
      const oldestAlone = lookups;
      lookups = 0;
      await listTickets(core, { now });
      expect(lookups, `${lookups} lookups for the page, ${oldestAlone} for its oldest ticket alone`).to.be.below(
        2 * oldestAlone,
      );
    } finally {
      proto.formatToParts = original;
    }
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
