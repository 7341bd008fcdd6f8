import { expect } from 'chai';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { toCsv } from '../../core/reports/csv.ts';
import { weekKey } from '../../core/reports/deflection.ts';
import { asked, judged, logWith, plus, ticketed } from './builders.ts';

const LATER = '2026-05-01T00:00:00.000Z';
const PERIOD = { from: '2026-03-01', to: '2026-03-31' };

/** Monday and Tuesday of one week; a widget answer, a Teams answer in Spanish, a clarify and an unanswered question that became a ticket. */
const week = [
  asked('2026-03-09T09:00:00.000Z', { conversationId: 'a' }),
  judged('2026-03-09T09:01:00.000Z', true, { conversationId: 'a' }),
  asked('2026-03-09T10:00:00.000Z', {
    conversationId: 'b',
    channel: 'msteams',
    lang: 'es',
    articleId: 'vpn-setup-en',
    shown: [{ articleId: 'vpn-setup-en', confidence: 0.97 }],
  }),
  judged('2026-03-09T10:01:00.000Z', false, {
    conversationId: 'b',
    channel: 'msteams',
    lang: 'es',
    articleId: 'vpn-setup-en',
  }),
  asked('2026-03-10T09:00:00.000Z', { conversationId: 'c', action: 'clarify' }),
  asked('2026-03-10T11:00:00.000Z', { conversationId: 'd', action: 'ticket', question: 'where do I park?' }),
  ticketed('2026-03-10T11:05:00.000Z', 'no_answer', { conversationId: 'd' }),
];

describe('deflection report groupings', () => {
  const cases = [
    {
      groupBy: 'day',
      expects: [
        ['2026-03-09', 2, 2, 0],
        ['2026-03-10', 2, 1, 1],
      ],
    },
    { groupBy: 'week', expects: [['2026-03-09', 4, 3, 1]] },
    {
      groupBy: 'lang',
      expects: [
        ['en', 3, 2, 1],
        ['es', 1, 1, 0],
      ],
    },
    {
      groupBy: 'channel',
      expects: [
        ['widget', 3, 2, 1],
        ['msteams', 1, 1, 0],
      ],
    },
    {
      groupBy: 'article',
      expects: [
        ['vpn-setup-en', 2, 2, 0],
        ['(none)', 1, 0, 1],
        ['reset-password-en', 1, 1, 0],
      ],
    },
    {
      groupBy: 'category',
      expects: [
        ['Network', 2, 2, 0],
        ['(none)', 1, 0, 1],
        ['Accounts', 1, 1, 0],
      ],
    },
    // Tags overlap: the VPN questions count under vpn and network.
    {
      groupBy: 'tag',
      expects: [
        ['network', 2, 2, 0],
        ['vpn', 2, 2, 0],
        ['(none)', 1, 0, 1],
        ['account', 1, 1, 0],
        ['password', 1, 1, 0],
      ],
    },
  ] as const;
  for (const c of cases) {
    it(`by ${c.groupBy}: [key, questions, self-served, tickets] per group`, async () => {
      const f = await logWith(week, { now: LATER });
      try {
        const r = await f.reports.deflection(PERIOD, c.groupBy);
        const rows = r.rows
          .filter((x) => x.questions > 0 || x.tickets > 0)
          .map((x) => [x.key, x.questions, x.selfServed, x.tickets]);
        expect(rows).to.deep.equal(c.expects.map((e) => [...e]));
        expect(r.totals).to.include({ questions: 4, selfServed: 3, escalated: 1, tickets: 1 });
      } finally {
        f.cleanup();
      }
    });
  }

  it('by day, every day of the period has a row, for charts', async () => {
    const f = await logWith(week, { now: LATER });
    try {
      const r = await f.reports.deflection(PERIOD, 'day');
      expect(r.rows).to.have.length(31);
      expect(r.rows[0]).to.include({ key: '2026-03-01', questions: 0, deflectionRate: 0 });
    } finally {
      f.cleanup();
    }
  });

  it('weeks start on Monday (UTC)', () => {
    expect(weekKey(Date.parse('2026-03-15T23:59:59Z'))).to.equal('2026-03-09');
    expect(weekKey(Date.parse('2026-03-16T00:00:00Z'))).to.equal('2026-03-16');
  });
});

describe('report caches of closed days', () => {
  it('give the same report as the log, are written once, and are rebuilt when the day is rewritten', async () => {
    const f = await logWith(week, { now: LATER, cache: true });
    const plain = await logWith(week, { now: LATER });
    try {
      const cold = await f.reports.deflection(PERIOD, 'day');
      const cacheDir = path.join(f.dataDir, 'reports', 'facts');
      expect(readdirSync(cacheDir).sort()).to.deep.equal(['2026-03-09.facts', '2026-03-10.facts']);
      expect(cold).to.deep.equal(await plain.reports.deflection(PERIOD, 'day'));

      // Rewrite Monday without its feedback (as an erasure would): the cache must not hide the change.
      const monday = await f.events.readDay('2026-03-09');
      await f.events.rewriteDay(
        '2026-03-09',
        monday.filter((e) => e.type !== 'feedback'),
      );
      const after = await f.reports.deflection(PERIOD, 'day');
      expect(after.totals).to.include({ confirmed: 0, notHelpful: 0 });
    } finally {
      f.cleanup();
      plain.cleanup();
    }
  });

  it('are not written for today, which is still being appended to', async () => {
    const now = '2026-03-10T12:00:00.000Z';
    const f = await logWith(week, { now, cache: true });
    try {
      await f.reports.deflection({ from: '2026-03-01', to: '2026-03-10' }, 'day');
      expect(readdirSync(path.join(f.dataDir, 'reports', 'facts'))).to.deep.equal(['2026-03-09.facts']);
    } finally {
      f.cleanup();
    }
  });
});

describe('articles report', () => {
  it('counts per article: shown, answered, helped, not helpful, tickets after it was shown, and review dates', async () => {
    const f = await logWith(
      [
        ...week,
        asked('2026-03-11T09:00:00.000Z', {
          conversationId: 'e',
          articleId: 'vpn-setup-en',
          shown: [{ articleId: 'vpn-setup-en', confidence: 0.96 }],
        }),
        judged('2026-03-11T09:01:00.000Z', false, {
          conversationId: 'e',
          articleId: 'vpn-setup-en',
          next: 'suggestions',
          shown: [{ articleId: 'vpn-not-connecting-en', confidence: 0.8 }],
        }),
        ticketed('2026-03-12T09:00:00.000Z', 'not_helpful', { conversationId: 'e' }),
      ],
      { now: LATER },
    );
    try {
      const r = await f.reports.articles(PERIOD);
      const vpn = r.rows.find((x) => x.articleId === 'vpn-setup-en')!;
      // Shown as an answer twice and as an option once.
      expect(vpn).to.include({
        shown: 3,
        answered: 2,
        confirmed: 0,
        notHelpful: 2,
        helpfulRate: 0,
        ticketsAfterShown: 1,
        removed: false,
      });
      // A suggestion offered after the "No" was shown too, and the ticket followed it.
      expect(r.rows.find((x) => x.articleId === 'vpn-not-connecting-en')).to.include({
        shown: 2,
        ticketsAfterShown: 1,
      });
      expect(r.rows.find((x) => x.articleId === 'reset-password-en')).to.include({
        shown: 1,
        confirmed: 1,
        helpfulRate: 1,
      });
      expect(r.rows.find((x) => x.articleId === 'account-locked-en')).to.include({ shown: 0 });
      expect(r.rows[0]!.shown).to.be.at.least(r.rows.at(-1)!.shown);
    } finally {
      f.cleanup();
    }
  });
});

describe('CSV', () => {
  it('quotes what needs quoting and defuses spreadsheet formulas in user text', () => {
    const csv = toCsv([
      { key: 'a,b', n: 3, text: 'say "hi"', list: ['x', 'y'] },
      { key: '=HYPERLINK("http://x")', n: -1, text: '+1', list: [] },
    ]);
    expect(csv).to.equal('key,n,text,list\r\n"a,b",3,"say ""hi""",x; y\r\n"\'=HYPERLINK(""http://x"")",-1,\'+1,\r\n');
  });

  it('every report is available as CSV through ?format=csv or Accept: text/csv', async () => {
    // Exercised over HTTP in test/reports/csvRoutes.test.ts; here the deflection rows keep their column order.
    const f = await logWith(week, { now: LATER });
    try {
      const r = await f.reports.deflection(PERIOD, 'lang');
      const csv = toCsv([...r.rows, r.totals]);
      const [header, en] = csv.split('\r\n');
      expect(header!.split(',').slice(0, 3)).to.deep.equal(['key', 'questions', 'answered']);
      expect(en!.startsWith('en,3,')).to.equal(true);
    } finally {
      f.cleanup();
    }
  });
});
