import { expect } from 'chai';
import type { NewEvent } from '../../core/events/types.ts';
import type { DeflectionRow } from '../../core/reports/deflection.ts';
import { asked, judged, logWith, plus, ticketed } from './builders.ts';

const T0 = '2026-03-10T10:00:00.000Z';
const PERIOD = { from: '2026-03-01', to: '2026-03-31' };
/** Long after the period: every deflection window has closed. */
const LATER = '2026-05-01T00:00:00.000Z';

async function totals(events: NewEvent[], opts: { now?: string; windowDays?: number } = {}): Promise<DeflectionRow> {
  const f = await logWith(events, { now: opts.now ?? LATER, windowDays: opts.windowDays });
  try {
    return (await f.reports.deflection(PERIOD, 'day')).totals;
  } finally {
    f.cleanup();
  }
}

/** One case per definition: the events, and the counts they must produce (fields not listed must be 0, except questions = 1). */
const cases: { description: string; events: NewEvent[]; expects: Partial<DeflectionRow> }[] = [
  {
    description: 'an answer with no feedback and no ticket is answered and self-served',
    events: [asked(T0)],
    expects: { answered: 1, selfServed: 1, deflectionRate: 1 },
  },
  {
    description: 'an answer the user said helped is confirmed, and counts in the confirmed-only rate',
    events: [asked(T0), judged(plus(T0, 0, 5000), true)],
    expects: {
      answered: 1,
      confirmed: 1,
      selfServed: 1,
      selfServedConfirmed: 1,
      deflectionRate: 1,
      confirmedDeflectionRate: 1,
    },
  },
  {
    description: 'options to choose from (clarify) count as suggested and self-served',
    events: [asked(T0, { action: 'clarify' })],
    expects: { suggested: 1, selfServed: 1, deflectionRate: 1 },
  },
  {
    description: 'nothing above the threshold and no ticket is unanswered and abandoned, not self-served',
    events: [asked(T0, { action: 'ticket' })],
    expects: { unanswered: 1, abandoned: 1 },
  },
  {
    description: 'nothing fitted and a ticket followed: escalated because nothing fit',
    events: [asked(T0, { action: 'ticket' }), ticketed(plus(T0, 0, 60_000), 'no_answer')],
    expects: { unanswered: 1, escalated: 1, escalatedNoAnswer: 1, tickets: 1 },
  },
  {
    description: '"not helpful" then a ticket: escalated after not helpful',
    events: [asked(T0), judged(plus(T0, 0, 5000), false), ticketed(plus(T0, 0, 60_000), 'not_helpful')],
    expects: { answered: 1, notHelpful: 1, escalated: 1, escalatedAfterNotHelpful: 1, tickets: 1 },
  },
  {
    description: "a ticket by the user's choice right after an answer: escalated by the user",
    events: [asked(T0), ticketed(plus(T0, 0, 30_000), 'user')],
    expects: { answered: 1, escalated: 1, escalatedByUser: 1, tickets: 1 },
  },
  {
    description: 'a ticket from the same conversation exactly at the end of the window still escalates',
    events: [asked(T0), ticketed(plus(T0, 7), 'user')],
    expects: { answered: 1, escalated: 1, escalatedByUser: 1, tickets: 1 },
  },
  {
    description: 'a ticket 1 ms after the window closes does not: the question stays self-served',
    events: [asked(T0), ticketed(plus(T0, 7, 1), 'user')],
    expects: { answered: 1, selfServed: 1, deflectionRate: 1, tickets: 1 },
  },
  {
    description: 'the window is configurable: with 2 days, a ticket 3 days later does not escalate',
    events: [asked(T0), ticketed(plus(T0, 3), 'user')],
    expects: { answered: 1, selfServed: 1, deflectionRate: 1, tickets: 1 },
  },
  {
    description: "an identified user's ticket from a later conversation escalates the earlier answer",
    events: [
      asked(T0, { conversationId: 'c-monday', user: { id: 'u-42' } }),
      ticketed(plus(T0, 3), 'user', { conversationId: 'c-thursday', user: { id: 'u-42', email: 'ana@example.com' } }),
    ],
    expects: { answered: 1, escalated: 1, escalatedByUser: 1, tickets: 1 },
  },
  {
    description: 'the same person is recognised by e-mail too, whatever its case',
    events: [
      asked(T0, { conversationId: 'c-a', user: { email: 'Ana@Example.com' } }),
      ticketed(plus(T0, 1), 'user', { conversationId: 'c-b', user: { email: 'ana@example.com' } }),
    ],
    expects: { answered: 1, escalated: 1, escalatedByUser: 1, tickets: 1 },
  },
  {
    description: "another person's ticket in another conversation does not escalate",
    events: [
      asked(T0, { conversationId: 'c-a', user: { id: 'u-1' } }),
      ticketed(plus(T0, 1), 'user', { conversationId: 'c-b', user: { id: 'u-2', email: 'bob@example.com' } }),
    ],
    expects: { answered: 1, selfServed: 1, deflectionRate: 1, tickets: 1 },
  },
  {
    description: 'a ticket opened before the question does not escalate it',
    events: [
      ticketed(T0, 'user', { conversationId: 'c-a', user: { id: 'u-1' } }),
      asked(plus(T0, 0, 1000), { conversationId: 'c-b', user: { id: 'u-1' } }),
    ],
    expects: { answered: 1, selfServed: 1, deflectionRate: 1, tickets: 1 },
  },
  {
    description: 'a "No" followed by a "Yes" on a suggestion is both not helpful and confirmed, and self-served',
    events: [
      asked(T0),
      judged(plus(T0, 0, 1000), false, {
        next: 'suggestions',
        shown: [{ articleId: 'account-locked-en', confidence: 0.8 }],
      }),
      judged(plus(T0, 0, 2000), true, { articleId: 'account-locked-en' }),
    ],
    expects: {
      answered: 1,
      notHelpful: 1,
      confirmed: 1,
      selfServed: 1,
      selfServedConfirmed: 1,
      deflectionRate: 1,
      confirmedDeflectionRate: 1,
    },
  },
];

describe('deflection report: the definitions, on hand-built events', () => {
  for (const c of cases) {
    it(c.description, async () => {
      const windowDays = c.description.includes('2 days') ? 2 : undefined;
      const row = await totals(c.events, { windowDays });
      const zero: Omit<DeflectionRow, 'key'> = {
        questions: 1,
        answered: 0,
        suggested: 0,
        unanswered: 0,
        confirmed: 0,
        notHelpful: 0,
        selfServed: 0,
        selfServedConfirmed: 0,
        escalated: 0,
        escalatedByUser: 0,
        escalatedAfterNotHelpful: 0,
        escalatedNoAnswer: 0,
        abandoned: 0,
        windowOpen: 0,
        tickets: 0,
        deflectionRate: 0,
        confirmedDeflectionRate: 0,
      };
      expect(row).to.deep.equal({ key: 'total', ...zero, ...c.expects });
    });
  }

  it('feedback belongs to the latest question of its conversation, not to an earlier one', async () => {
    const row = await totals([
      asked(T0, { question: 'first' }),
      asked(plus(T0, 0, 1000), { question: 'second', articleId: 'vpn-setup-en' }),
      judged(plus(T0, 0, 2000), true, { articleId: 'vpn-setup-en' }),
    ]);
    expect(row).to.include({
      questions: 2,
      confirmed: 1,
      selfServed: 2,
      selfServedConfirmed: 1,
      deflectionRate: 1,
      confirmedDeflectionRate: 0.5,
    });
  });

  it('feedback counts within the window after its question, whatever period the report covers', async () => {
    const events = [asked(T0), judged(plus(T0, 7), true), asked(plus(T0, 8)), judged(plus(T0, 15, 1), false)];
    // The "Yes" exactly 7 days later counts; the "No" 7 days and 1 ms later does not.
    expect(await totals(events)).to.include({ questions: 2, confirmed: 1, notHelpful: 0 });
  });

  it('one ticket escalates every question of its conversation asked within the window before it', async () => {
    const row = await totals([
      asked(T0),
      asked(plus(T0, 1)),
      asked(plus(T0, 2), { action: 'ticket' }),
      ticketed(plus(T0, 2, 1000), 'no_answer'),
    ]);
    // The first question was asked 2 days before the ticket, within 7 days: all three escalated, by the same ticket.
    expect(row).to.include({ questions: 3, escalated: 3, escalatedNoAnswer: 3, tickets: 1, selfServed: 0 });
  });

  it('a question whose window is still open counts as self-served and is reported as windowOpen', async () => {
    const now = plus(T0, 2);
    const row = await totals([asked(T0), asked(plus(T0, -6))], { now });
    expect(row).to.include({ questions: 2, selfServed: 2, windowOpen: 1 });
  });

  it('a ticket after the period but within the window of a question in it still escalates that question', async () => {
    const late = '2026-03-31T20:00:00.000Z';
    const row = await totals([asked(late), ticketed(plus(late, 2), 'user')]);
    // The ticket itself falls in April: it is not one of March's tickets.
    expect(row).to.include({ questions: 1, escalated: 1, tickets: 0 });
  });

  it('questions outside the period are not counted', async () => {
    const row = await totals([asked('2026-02-27T10:00:00.000Z'), asked(T0), asked('2026-04-02T10:00:00.000Z')]);
    expect(row.questions).to.equal(1);
  });

  it('every question is exactly one of self-served, escalated or abandoned', async () => {
    const row = await totals(
      cases.flatMap((c, i) =>
        c.events.map(
          (e) =>
            ({
              ...e,
              conversationId: `${e.conversationId}-${i}`,
              ...('user' in e && e.user
                ? { user: Object.fromEntries(Object.entries(e.user).map(([k, v]) => [k, `${v}-${i}`])) }
                : {}),
            }) as NewEvent,
        ),
      ),
    );
    expect(row.selfServed + row.escalated + row.abandoned).to.equal(row.questions);
    expect(row.answered + row.suggested + row.unanswered).to.equal(row.questions);
    expect(row.escalatedByUser + row.escalatedAfterNotHelpful + row.escalatedNoAnswer).to.equal(row.escalated);
  });
});
