import { expect } from 'chai';
import { reportCsat } from '../../core/commands/reportCsat.ts';
import type { NewEvent } from '../../core/events/types.ts';
import type { IndexHolder } from '../../core/services.ts';
import type { Stores, TicketDraft } from '../../core/storage/ports.ts';
import type { Ticket } from '../../core/tickets/types.ts';
import { asked, judged } from '../reports/builders.ts';
import { describeStorageContract } from '../helpers/storageBackends.ts';
import { ticketDraft } from '../helpers/ticketDraft.ts';

const draft = (over: Partial<TicketDraft> = {}): TicketDraft =>
  ticketDraft({ shown: [{ articleId: 'invoice-copy-en', title: 'Invoice copy', confidence: 0.4 }], ...over });
const articles = new Map([['reset-password-en', { category: 'Accounts' }]]);
const index = { get: () => ({ articles }) } as unknown as IndexHolder;
const period = { from: '2026-06-01', to: '2026-06-30' };

/** A ticket solved at `solvedAt`, rated or not, with whatever else `change` sets. */
async function solved(stores: Stores, solvedAt: string, change: (t: Ticket) => void = () => undefined, d = draft()) {
  const t = await stores.tickets.create(d);
  await stores.tickets.update(t.id, (x) => {
    x.status = 'solved';
    x.solvedAt = solvedAt;
    change(x);
  });
}

/**
 * Issue 17's CSAT report, written by one instance and read by the other,
 * on the embedded stores and on PostgreSQL: the same figures on both.
 */
describeStorageContract('CSAT report', (pair) => {
  beforeEach(async () => {
    const { a, b } = pair();
    // Billing, assigned to Marta: six ratings, five good.
    for (let i = 0; i < 6; i++)
      await solved(i % 2 ? a : b, `2026-06-10T0${i}:00:00.000Z`, (t) => {
        t.category = 'Billing';
        t.assignee = 'marta';
        t.rating =
          i === 5
            ? { score: 'bad', comment: 'Wrong invoice', at: '2026-06-11T09:00:00.000Z' }
            : { score: 'good', at: '2026-06-11T08:00:00.000Z' };
      });
    // No category, no assignee: Luis answered first in public (Ana's internal note before does not count).
    const thread = (): Ticket['messages'] => [
      { id: 'm1', from: 'agent', text: 'note', internal: true, at: '2026-06-12T08:00:00.000Z', author: 'ana' },
      { id: 'm2', from: 'agent', text: 'Hi', internal: false, at: '2026-06-12T09:00:00.000Z', author: 'luis' },
    ];
    await solved(
      a,
      '2026-06-12T10:00:00.000Z',
      (t) => {
        t.rating = { score: 'bad', comment: 'Too slow', at: '2026-06-13T10:00:00.000Z' };
      },
      draft({ messages: thread(), channel: 'msteams' }),
    );
    await solved(b, '2026-06-12T11:00:00.000Z', () => undefined, draft({ messages: thread(), channel: 'msteams' }));
    // Solved after the period, and never solved: not offered.
    await solved(
      a,
      '2026-07-02T10:00:00.000Z',
      (t) => void (t.rating = { score: 'good', at: '2026-07-02T11:00:00.000Z' }),
    );
    await a.tickets.create(draft());
    // The bot's answers: three shown, two "Yes" and one "No"; a clarify (no answer shown) and one outside the period.
    const events: NewEvent[] = [
      asked('2026-06-05T10:00:00.000Z'),
      judged('2026-06-05T10:01:00.000Z', true),
      asked('2026-06-05T11:00:00.000Z', { conversationId: 'c-2' }),
      judged('2026-06-05T11:01:00.000Z', true, { conversationId: 'c-2' }),
      asked('2026-06-05T12:00:00.000Z', { conversationId: 'c-3', channel: 'msteams' }),
      judged('2026-06-05T12:01:00.000Z', false, { conversationId: 'c-3', channel: 'msteams' }),
      asked('2026-06-06T10:00:00.000Z', { conversationId: 'c-4', action: 'clarify' }),
      asked('2026-07-06T10:00:00.000Z', { conversationId: 'c-5' }),
    ];
    for (const [i, e] of events.entries()) await (i % 2 ? a : b).events.append(e);
  });

  it('counts tickets solved in the period, by category, with no score under five responses', async () => {
    for (const s of [pair().a, pair().b]) {
      const r = await reportCsat({ ...s, index }, { ...period, groupBy: 'category' });
      expect(r).to.include({ offered: 8, responded: 7, good: 5, bad: 2, score: 0.7143, responseRate: 0.875 });
      expect(r.groups).to.deep.equal([
        { key: 'Billing', offered: 6, responded: 6, good: 5, bad: 1, score: 0.8333, responseRate: 1 },
        { key: '(uncategorised)', offered: 2, responded: 1, good: 0, bad: 1, score: null, responseRate: 0.5 },
      ]);
      expect(r.comments.map((c) => [c.comment, c.score, c.key])).to.deep.equal([
        ['Too slow', 'bad', '(uncategorised)'],
        ['Wrong invoice', 'bad', 'Billing'],
      ]);
    }
  });

  it('groups by the assignee, else the author of the first public agent reply; and by channel', async () => {
    const byAgent = await reportCsat({ ...pair().b, index }, { ...period, groupBy: 'agent' });
    expect(byAgent.groups.map((g) => [g.key, g.offered, g.responded])).to.deep.equal([
      ['marta', 6, 6],
      ['luis', 2, 1],
    ]);
    const byChannel = await reportCsat({ ...pair().a, index }, { ...period, groupBy: 'channel' });
    expect(byChannel.groups.map((g) => [g.key, g.offered])).to.deep.equal([
      ['widget', 6],
      ['msteams', 2],
    ]);
  });

  it('reports the bot answers\' "did this help?" apart, grouped the same way', async () => {
    const r = await reportCsat({ ...pair().a, index }, { ...period, groupBy: 'category' });
    expect(r.answers).to.deep.include({ offered: 3, responded: 3, good: 2, bad: 1, score: 0.6667, responseRate: 1 });
    expect(r.answers.groups).to.deep.equal([
      { key: 'Accounts', offered: 3, responded: 3, good: 2, bad: 1, score: null, responseRate: 1 },
    ]);
    const byChannel = await reportCsat({ ...pair().b, index }, { ...period, groupBy: 'channel' });
    expect(byChannel.answers.groups.map((g) => [g.key, g.good, g.bad])).to.deep.equal([
      ['widget', 2, 0],
      ['msteams', 0, 1],
    ]);
    const byAgent = await reportCsat({ ...pair().b, index }, { ...period, groupBy: 'agent' });
    expect(byAgent.answers.groups.map((g) => g.key)).to.deep.equal(['(bot)']);
  });

  it('gives the same report on both instances', async () => {
    for (const groupBy of ['category', 'article', 'agent', 'channel'] as const) {
      const [x, y] = await Promise.all(
        [pair().a, pair().b].map((s) => reportCsat({ ...s, index }, { ...period, groupBy })),
      );
      expect(y).to.deep.equal(x);
    }
  });
});
