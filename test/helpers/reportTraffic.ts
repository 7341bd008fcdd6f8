import { expect } from 'chai';
import pg from 'pg';
import { DEFAULT_THRESHOLDS } from '../../core/answers/pipeline/decide.ts';
import type { NewEvent } from '../../core/events/types.ts';
import { GROUP_BY } from '../../core/reports/deflection.ts';
import { FactStore } from '../../core/reports/factStore.ts';
import type { PeriodInput } from '../../core/reports/period.ts';
import { Reports } from '../../core/reports/reports.ts';
import type { Stores } from '../../core/storage/ports.ts';
import { articleMap, asked, judged, plus, ticketed } from '../reports/builders.ts';

/**
 * The traffic and periods the specs of the deflection report in SQL share
 * (test/storage/reportFigures.int.test.ts, questionOutcomes.int.test.ts),
 * and the comparison they make: PostgreSQL against the in-process scan of
 * the same events, every grouping, field by field.
 */
export const NOW = '2026-04-20T15:30:00.000Z';
const START = '2026-02-20T08:00:00.000Z';

/** A deterministic month and a half of traffic: conversations, identified people, feedback, tickets, ties, window edges. */
export function traffic(): NewEvent[] {
  let seed = 7;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const articles = [
    'reset-password-en',
    'vpn-setup-en',
    'vpn-not-connecting-en',
    'account-locked-en',
    'retired-article',
  ];
  const people = [
    undefined,
    undefined,
    { id: 'u1' },
    { email: 'Ana@Example.com' },
    { id: 'u2', email: 'bo@example.com' },
  ];
  const events: NewEvent[] = [];
  // Conversation after conversation: appends are not in time order across conversations, as with several
  // instances, so a question may be appended after a later ticket of the same person.
  for (let c = 0; c < 260; c++) {
    const conversationId = `c-${c}`;
    const user = pick(people);
    const lang = pick(['en', 'es', 'en']);
    const channel = pick(['widget', 'msteams', 'api']);
    let t = plus(START, rand() * 58, 0);
    const base = { conversationId, lang, channel, ...(user ? { user } : {}) } as Record<string, unknown>;
    for (let turn = 0; turn < 1 + Math.floor(rand() * 3); turn++) {
      const action = pick(['answer', 'answer', 'clarify', 'ticket'] as const);
      const articleId = pick(articles);
      events.push(asked(t, { ...base, action, ...(action === 'answer' ? { articleId } : {}) }));
      const next = rand();
      // Same millisecond as the question sometimes: time order ties are broken by append order.
      t = plus(t, next < 0.1 ? 0 : rand() * (next < 0.8 ? 0.01 : 9), 0);
      if (next < 0.5) events.push(judged(t, rand() < 0.5, { ...base, articleId }));
      else if (next < 0.75) events.push(ticketed(t, pick(['user', 'not_helpful', 'no_answer'] as const), base));
      t = plus(t, 0, 1 + Math.floor(rand() * 60_000));
    }
  }
  // Ties in time, broken by append order: a ticket appended after a question of the same millisecond escalates
  // it, one appended before does not; the same for feedback.
  const tie = '2026-03-10T12:00:00.000Z';
  events.push(
    asked(tie, { conversationId: 'tie-1' }),
    ticketed(tie, 'user', { conversationId: 'tie-1', user: {} }),
    ticketed(tie, 'user', { conversationId: 'tie-2', user: {} }),
    asked(tie, { conversationId: 'tie-2' }),
    judged(tie, true, { conversationId: 'tie-3' }),
    asked(tie, { conversationId: 'tie-3' }),
  );
  // The window's end is inclusive: a ticket or a verdict exactly 7 days (or 3) later counts, 1 ms later does not.
  const edge = '2026-03-12T09:00:00.000Z';
  for (const days of [3, 7]) {
    const late = (ms: number) => plus(edge, days, ms);
    const person = { id: `edge-${days}` };
    events.push(
      asked(edge, { conversationId: `edge-${days}-a` }),
      ticketed(late(0), 'user', { conversationId: `edge-${days}-a`, user: {} }),
      asked(edge, { conversationId: `edge-${days}-b` }),
      ticketed(late(1), 'user', { conversationId: `edge-${days}-b`, user: {} }),
      asked(edge, { conversationId: `edge-${days}-c`, user: person }),
      ticketed(late(0), 'no_answer', { conversationId: `edge-${days}-d`, user: person }),
      asked(edge, { conversationId: `edge-${days}-e` }),
      judged(late(0), true, { conversationId: `edge-${days}-e` }),
      asked(edge, { conversationId: `edge-${days}-f` }),
      judged(late(1), false, { conversationId: `edge-${days}-f` }),
    );
  }
  return events;
}

export const periods: { name: string; input: PeriodInput }[] = [
  { name: 'dates, to inclusive', input: { from: '2026-03-01', to: '2026-03-31' } },
  { name: 'ISO times off midnight', input: { from: '2026-02-25T13:17:00.000Z', to: '2026-04-02T06:00:00.000Z' } },
  { name: 'up to now, windows still open', input: { from: '2026-04-01' } },
  { name: 'the default: the last 30 days', input: {} },
  { name: 'a window of 0 days', input: { from: '2026-02-20', to: '2026-04-20', windowDays: 0 } },
  { name: 'a window of 3 days', input: { from: '2026-03-03T00:00:00.000Z', to: '2026-04-10', windowDays: 3 } },
  { name: 'a window of 40 days', input: { from: '2026-02-20', to: '2026-03-20', windowDays: 40 } },
];

/** Reports over these stores as the server makes them, at NOW, with a 7-day window. */
export function reportsOn(stores: Stores, dir: string): Reports {
  return new Reports({
    store: FactStore.forDataDir(stores.events, dir, { cache: false, figures: stores.reportFigures }),
    articles: articleMap,
    kbDir: dir,
    windowDays: 7,
    clarifyThreshold: DEFAULT_THRESHOLDS.clarify,
    now: () => Date.parse(NOW),
  });
}

/** Every period and grouping: PostgreSQL's figures deep-equal the in-process scan's. */
export async function expectSameFigures(
  pg: { stores: Stores; dir: string },
  embedded: { stores: Stores; dir: string },
): Promise<void> {
  expect(pg.stores.reportFigures, 'the PostgreSQL stores count in SQL').to.exist;
  const sql = reportsOn(pg.stores, pg.dir);
  const scan = reportsOn(embedded.stores, embedded.dir);
  for (const { name, input } of periods) {
    for (const groupBy of GROUP_BY) {
      const expected = await scan.deflection(input, groupBy);
      expect(expected.totals.questions, `${name}: the case has questions`).to.be.greaterThan(0);
      expect(await sql.deflection(input, groupBy), `${name}, by ${groupBy}`).to.deep.equal(expected);
    }
  }
}

/** The triggers' table, then question_outcomes_rebuild() (migration 0010, bulk loads) over the same events: the same rows. */
export async function expectOutcomesRebuildTheSame(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const read = async () => (await client.query('SELECT * FROM question_outcomes ORDER BY seq')).rows;
    const kept = await read();
    expect(kept.length, 'the case has questions').to.be.greaterThan(0);
    expect(kept.filter((r) => r.ticket !== null).length, 'and escalations').to.be.greaterThan(0);
    await client.query('SELECT question_outcomes_rebuild()');
    expect(await read()).to.deep.equal(kept);
  } finally {
    await client.end();
  }
}
