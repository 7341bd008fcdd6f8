import { expect } from 'chai';
import type { TicketFacts } from '../../core/reports/ticketFacts.ts';
import { TicketColumns } from '../../core/reports/ticketColumns.ts';
import { packFacts } from '../../core/storage/postgres/packedTicketFacts.ts';

/** A stored value as a reader's columns take it: packed (setPacked) or keyed (set). */
function readBack(stored: unknown): TicketFacts {
  const c = new TicketColumns();
  if (Array.isArray(stored)) c.setPacked(0, stored as Parameters<TicketColumns['setPacked']>[1]);
  else c.set(0, stored as TicketFacts);
  return c.facts(0);
}

const CREATED = Date.parse('2026-06-01T09:00:00Z');
const bare: TicketFacts = {
  id: 'T-1',
  createdMs: CREATED,
  status: 'open',
  history: [],
  publicReplies: 0,
  keys: { category: 'billing', type: '(none)', priority: '(none)', team: '(none)', channel: 'widget', agent: '(none)' },
};

/** ticket_facts' stored form (migration 0017): what is packed is read back as the same facts, key for key. */
describe('packed ticket facts', () => {
  const cases: Array<{ description: string; facts: TicketFacts }> = [
    { description: 'an open ticket: no response, no solution, no history', facts: bare },
    {
      description: 'a solved, rated ticket of a paid plan with a history',
      facts: {
        ...bare,
        id: 'T-2 «ñ»',
        status: 'closed',
        history: [
          [CREATED + 60_000, 'pending'],
          [CREATED + 3_600_000, 'solved'],
          [CREATED + 86_400_000, 'closed'],
        ],
        publicReplies: 2,
        keys: { ...bare.keys, priority: 'P1', agent: 'marta' },
        firstResponseMs: CREATED + 60_000,
        solvedMs: CREATED + 3_600_000,
        rating: 'bad',
        priority: 'P1',
        plan: 'paid',
      },
    },
  ];
  for (const { description, facts } of cases)
    it(`reads back ${description}`, () => {
      const stored = JSON.parse(JSON.stringify(packFacts(facts)));
      expect(Array.isArray(stored)).to.equal(true);
      expect(readBack(stored)).to.deep.equal(facts);
    });

  it('reads the keyed facts stored before the packed form as they are', () => {
    expect(readBack(JSON.parse(JSON.stringify(cases[1]!.facts)))).to.deep.equal(cases[1]!.facts);
  });
});
