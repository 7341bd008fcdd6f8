import { expect } from 'chai';
import { TicketColumns } from '../../core/reports/ticketColumns.ts';
import type { TicketFacts } from '../../core/reports/ticketFacts.ts';

const H = 3_600_000;
const T0 = Date.parse('2026-12-01T09:00:00Z');
const KEYS = { category: 'billing', type: 'incident', priority: 'P2', team: 'L1', channel: 'widget', agent: 'marta' };

/** A ticket's facts: solved after `changes` reopen-and-solve rounds when asked, rated and on a plan when given. */
function facts(id: string, o: Partial<TicketFacts> = {}): TicketFacts {
  return { id, createdMs: T0, status: 'open', history: [], publicReplies: 0, keys: { ...KEYS }, ...o };
}

const solved = facts('t-solved', {
  status: 'solved',
  firstResponseMs: T0 + H,
  solvedMs: T0 + 4 * H,
  history: [
    [T0 + 2 * H, 'pending'],
    [T0 + 3 * H, 'solved'],
    [T0 + 3.5 * H, 'open'],
    [T0 + 4 * H, 'solved'],
  ],
  publicReplies: 2,
  rating: 'bad',
  priority: 'P2',
  plan: 'paid',
  keys: { ...KEYS, category: 'network', agent: 'luis' },
});
const open = facts('t-open', { createdMs: T0 + 5 * H });
const onHold = facts('t-hold', { status: 'on_hold', history: [[T0 + H, 'on_hold']], priority: 'P1' });

/**
 * The tickets report's facts as columns (core/reports/ticketColumns.ts):
 * what a store keeps decoded and hands to a report. A row reads back as the
 * facts written, optional fields absent as they were; a table handed out
 * for a report never changes when its owner writes, clears or compacts.
 */
describe('tickets report facts as columns', () => {
  it('reads each row back as the facts it was made from, absent fields absent', () => {
    const c = TicketColumns.of([solved, open, onHold]);
    expect(c.size).to.equal(3);
    expect([...c]).to.deep.equal([solved, open, onHold]);
    expect(Object.keys(c.facts(1))).to.not.include.members([
      'firstResponseMs',
      'solvedMs',
      'rating',
      'priority',
      'plan',
    ]);
  });

  it('selects rows in the order asked, consecutive or not', () => {
    const c = TicketColumns.of([solved, open, onHold, facts('t-4'), facts('t-5', { history: [[T0 + H, 'closed']] })]);
    expect([...c.select([4, 0, 1, 2])].map((f) => f.id)).to.deep.equal(['t-5', 't-solved', 't-open', 't-hold']);
    expect([...c.select([4, 0, 1, 2])]).to.deep.equal([c.facts(4), solved, open, onHold]);
    expect(c.select([]).size).to.equal(0);
  });

  it('leaves a table handed out unchanged when its owner rewrites, clears and compacts', () => {
    const owner = TicketColumns.of([solved, open, onHold]);
    const handed = owner.select([0, 1, 2]);
    owner.set(0, { ...solved, status: 'closed', history: [...solved.history, [T0 + 9 * H, 'closed']] });
    owner.clear(2);
    expect(owner.histWasted).to.equal(solved.history.length + onHold.history.length);
    owner.compact();
    expect(owner.histWasted).to.equal(0);
    expect([...handed]).to.deep.equal([solved, open, onHold]);
    expect(owner.facts(0).history).to.deep.equal([...solved.history, [T0 + 9 * H, 'closed']]);
    expect([...owner].map((f) => f.id)).to.deep.equal(['t-solved', 't-open']);
  });

  it('grows past its first capacity, and shares its dictionary with the tables it hands out', () => {
    const many = Array.from({ length: 3000 }, (_, i) =>
      facts(`t${i}`, { keys: { ...KEYS, agent: `agent${i % 7}` }, history: [[T0 + i, 'pending']] }),
    );
    const c = TicketColumns.of(many);
    expect([...c]).to.deep.equal(many);
    const some = c.select([2999, 5]);
    expect(some.dict).to.equal(c.dict);
    expect([...some]).to.deep.equal([many[2999], many[5]]);
    // A long run of slots, one of them rewritten since (its changes now at the end of the table's).
    const rewritten = { ...many[200]!, history: [...many[200]!.history, [T0 + 9 * H, 'solved']] } as TicketFacts;
    c.set(200, rewritten);
    const run = Array.from({ length: 400 }, (_, i) => 100 + i);
    expect([...c.select(run)]).to.deep.equal(run.map((i) => (i === 200 ? rewritten : many[i])));
  });
});
