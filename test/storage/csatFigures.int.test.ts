import { expect } from 'chai';
import pgLib from 'pg';
import { reportCsat } from '../../core/commands/reportCsat.ts';
import { CSAT_GROUP_BY, CSAT_COMMENTS, csatQuery } from '../../core/reports/csat.ts';
import { countCsatSql } from '../../core/storage/postgres/csatSql.ts';
import type { IndexHolder } from '../../core/services.ts';
import type { Stores, TicketDraft } from '../../core/storage/ports.ts';
import type { Ticket } from '../../core/tickets/types.ts';
import { articleMap, plus } from '../reports/builders.ts';
import { NOW, traffic } from '../helpers/reportTraffic.ts';
import { openSqlBesideScan } from '../helpers/storageBackends.ts';

/**
 * The CSAT report counted in SQL (PostgreSQL: ticket documents, the
 * question outcomes of migration 0010, the feedback events' report columns)
 * gives exactly the figures of the in-process scan of the embedded stores,
 * for the same tickets and events: every grouping, period ends on and off
 * midnight (from inclusive, to exclusive), ratings of the same instant (the
 * ticket made first comes first), more comments than a report lists, and
 * tickets whose category, assignee or first public reply are missing.
 */
const index = { get: () => ({ articles: articleMap() }) } as unknown as IndexHolder;
const now = Date.parse(NOW);
const periods = [
  { name: 'dates, to inclusive', input: { from: '2026-03-01', to: '2026-03-31' } },
  { name: 'ISO times off midnight', input: { from: '2026-02-25T13:17:00.000Z', to: '2026-04-02T06:00:00.000Z' } },
  { name: 'a period ending where a ticket was solved', input: { from: '2026-03-10', to: '2026-04-01T00:00:00.000Z' } },
  { name: 'up to now', input: { from: '2026-04-01' } },
  { name: 'the default: the last 30 days', input: {} },
];

describe('CSAT figures in PostgreSQL equal the in-process scan', function () {
  this.timeout(180_000);
  let pg: Stores;
  let embedded: Stores;
  let dirs: [string, string];
  let databaseUrl: string;
  let close: (() => Promise<void>) | undefined;

  before(async function () {
    ({ pg, embedded, dirs, databaseUrl, close } = await openSqlBesideScan(this));
    for (const e of traffic()) {
      await pg.events.append(e);
      await embedded.events.append(e);
    }
    for (const { draft, change } of tickets()) {
      for (const stores of [pg, embedded]) {
        const t = await stores.tickets.create(draft);
        await stores.tickets.update(t.id, change);
      }
    }
  });

  after(async () => {
    await close?.();
  });

  it('for every grouping and period, field by field', async () => {
    expect(pg.reportFigures, 'the PostgreSQL stores count in SQL').to.exist;
    expect(embedded.reportFigures, 'the embedded stores scan').to.not.exist;
    for (const { name, input } of periods) {
      for (const groupBy of CSAT_GROUP_BY) {
        const expected = await reportCsat({ ...embedded, index }, { ...input, groupBy, now });
        expect(expected.offered + expected.answers.offered, `${name}: the case has data`).to.be.greaterThan(0);
        expect(await reportCsat({ ...pg, index }, { ...input, groupBy, now }), `${name}, by ${groupBy}`).to.deep.equal(
          expected,
        );
      }
    }
  });

  it('over cases that make the comparison mean something', async () => {
    const r = await reportCsat({ ...pg, index }, { from: '2026-02-20', to: '2026-04-20', groupBy: 'agent', now });
    expect(r.comments, 'more comments than are listed').to.have.length(CSAT_COMMENTS);
    const ats = r.comments.map((c) => c.at);
    expect(new Set(ats).size, 'ratings of the same instant').to.be.lessThan(ats.length);
    expect(r.groups.map((g) => g.key)).to.include.members(['marta', 'luis', '(none)']);
    expect(r.groups.some((g) => g.score !== null)).to.equal(true);
    const byCategory = await reportCsat(
      { ...pg, index },
      { from: '2026-02-20', to: '2026-04-20', groupBy: 'category', now },
    );
    // An empty category is a group of its own; none at all is "(uncategorised)".
    expect(byCategory.groups.map((g) => g.key)).to.include.members(['', '(uncategorised)', 'Billing']);
    expect(byCategory.answers.groups.map((g) => g.key)).to.include.members(['Accounts', 'Network', '(uncategorised)']);
    expect(r.answers.good * r.answers.bad, 'both verdicts on answers').to.be.greaterThan(0);
    // The ticket solved at 2026-04-01T00:00 is in a period starting then and not in one ending then.
    const edge = (from: string, to: string) =>
      reportCsat({ ...pg, index }, { from, to, groupBy: 'channel', now }).then((x) => x.offered);
    expect(await edge('2026-04-01T00:00:00.000Z', '2026-04-01T00:00:00.001Z')).to.equal(1);
    expect(await edge('2026-03-31T23:59:59.999Z', '2026-04-01T00:00:00.000Z')).to.equal(0);
  });

  it('can read the feedback from an index alone and the tickets by solvedAt, not every row (0013)', async () => {
    // The statements as csatSql.ts writes them, planned with sequential scans discouraged: on a table this small
    // the planner scans anyway, but the plan shows whether an index matches what the statements ask.
    const statements: { text: string; values: unknown[] }[] = [];
    const recorder = {
      query: async (text: string, values: unknown[]) => (statements.push({ text, values }), { rows: [] }),
    };
    const period = { from: '2026-03-01T00:00:00.000Z', to: '2026-04-01T00:00:00.000Z' };
    await countCsatSql(recorder as never, csatQuery(period, 'category', articleMap()));
    const client = new pgLib.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      await client.query('SET enable_seqscan = off');
      let plans = '';
      for (const { text, values } of statements)
        for (const row of (await client.query(`EXPLAIN ${text}`, values)).rows) plans += `${row['QUERY PLAN']}\n`;
      expect(plans).to.include('Index Only Scan using events_feedback_by_at');
      expect(plans).to.match(/Index Scan (using|on) tickets_by_solved_at/);
    } finally {
      await client.end();
    }
  });
});

/** A deterministic set of tickets: solved or not, rated or not, with and without what each grouping reads. */
function tickets(): { draft: TicketDraft; change: (t: Ticket) => void }[] {
  let seed = 11;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const threads: Ticket['messages'][] = [
    [],
    [
      { id: 'm1', from: 'agent', text: 'note', internal: true, at: '2026-03-01T08:00:00.000Z', author: 'ana' },
      { id: 'm2', from: 'agent', text: 'Hi', internal: false, at: '2026-03-01T09:00:00.000Z', author: 'luis' },
    ],
    // The first public reply has no author: the ticket has no agent, though a later reply has one.
    [
      { id: 'm1', from: 'customer', text: 'hola', internal: false, at: '2026-03-01T08:00:00.000Z' },
      { id: 'm2', from: 'agent', text: 'Hola', internal: false, at: '2026-03-01T09:00:00.000Z' },
      { id: 'm3', from: 'agent', text: 'Again', internal: false, at: '2026-03-01T10:00:00.000Z', author: 'marta' },
    ],
  ];
  const out: { draft: TicketDraft; change: (t: Ticket) => void }[] = [];
  for (let i = 0; i < 90; i++) {
    const draft: TicketDraft = {
      channel: pick(['widget', 'msteams', 'api'] as const),
      lang: pick(['en', 'es'] as const),
      email: `p${i}@example.com`,
      subject: 'Help',
      reason: 'user',
      transcript: [],
      shown: pick([[], [{ articleId: 'reset-password-en', title: 'Reset', confidence: 0.5 }]]),
      messages: pick(threads),
    };
    // A handful of ratings share one instant, each with a comment: their order is the tickets'.
    const tied = i > 0 && i % 9 === 0;
    const solved = tied
      ? plus('2026-03-01T00:00:00.000Z', i / 10)
      : i === 0
        ? '2026-04-01T00:00:00.000Z'
        : rand() < 0.85
          ? plus('2026-02-20T00:00:00.000Z', rand() * 60)
          : null;
    const score = tied ? 'bad' : pick([undefined, 'good', 'good', 'bad'] as const);
    const ratedAt = tied ? '2026-04-15T10:00:00.000Z' : plus('2026-03-15T00:00:00.000Z', rand() * 30);
    const comment = tied ? 'Al mismo tiempo' : pick([undefined, '', 'Gracias, muy rápido', 'Too slow']);
    const category = pick([undefined, 'Billing', 'Network', '']);
    const assignee = pick([undefined, undefined, 'marta', 'luis']);
    const solvedWith = pick([undefined, 'vpn-setup-en', 'retired-article']);
    out.push({
      draft,
      change: (t) => {
        if (category !== undefined) t.category = category;
        if (assignee) t.assignee = assignee;
        if (solvedWith) t.solvedWith = solvedWith;
        if (!solved) return;
        t.status = 'solved';
        t.solvedAt = solved;
        if (score) t.rating = { score, at: ratedAt, ...(comment !== undefined ? { comment } : {}) };
      },
    });
  }
  return out;
}
