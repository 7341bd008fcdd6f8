import { expect } from 'chai';
import { DEFAULT_THRESHOLDS } from '../../core/answers/pipeline/decide.ts';
import type { DeflectEvent, NewEvent } from '../../core/events/types.ts';
import { GROUP_BY } from '../../core/reports/deflection.ts';
import { FactStore } from '../../core/reports/factStore.ts';
import type { PeriodInput } from '../../core/reports/period.ts';
import { Reports } from '../../core/reports/reports.ts';
import { openStores } from '../../core/storage/openStores.ts';
import type { Stores } from '../../core/storage/ports.ts';
import { articleMap, asked, judged, plus, ticketed } from '../reports/builders.ts';
import { freshDatabase, postgresUnavailable } from '../helpers/services.ts';
import { tempDir } from '../helpers/tempDir.ts';

/**
 * The deflection report computed in SQL (PostgreSQL: rollups of closed days,
 * live days settled on demand) gives exactly the figures of the in-process
 * scan over the embedded log, for the same events: every grouping, period
 * ends on and off midnight, several windows, and after past days were
 * rewritten (an erasure) or removed (retention).
 */
const NOW = '2026-04-20T15:30:00.000Z';
const START = '2026-02-20T08:00:00.000Z';
const bot = { stateTtlDays: 30 };

/** A deterministic month and a half of traffic: conversations, identified people, feedback, tickets, ties. */
function traffic(): NewEvent[] {
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
  return events;
}

const periods: { name: string; input: PeriodInput }[] = [
  { name: 'dates, to inclusive', input: { from: '2026-03-01', to: '2026-03-31' } },
  { name: 'ISO times off midnight', input: { from: '2026-02-25T13:17:00.000Z', to: '2026-04-02T06:00:00.000Z' } },
  { name: 'up to now, windows still open', input: { from: '2026-04-01' } },
  { name: 'the default: the last 30 days', input: {} },
  { name: 'a window of 0 days', input: { from: '2026-02-20', to: '2026-04-20', windowDays: 0 } },
  { name: 'a window of 3 days', input: { from: '2026-03-03T00:00:00.000Z', to: '2026-04-10', windowDays: 3 } },
];

describe('Deflection figures in PostgreSQL equal the in-process scan', function () {
  this.timeout(120_000);
  let pg: Stores;
  let embedded: Stores;
  let drop: () => Promise<void>;
  const dirs = [tempDir(), tempDir()];

  before(async function () {
    const reason = await postgresUnavailable();
    if (reason) {
      console.log(`      skipped: ${reason}`);
      this.skip();
    }
    const db = await freshDatabase();
    drop = db.drop;
    pg = await openStores({ dataDir: dirs[0]!.dir, bot, storage: { databaseUrl: db.url, redisKeyPrefix: 'unused:' } });
    embedded = await openStores({ dataDir: dirs[1]!.dir, bot });
    for (const e of traffic()) {
      await pg.events.append(e);
      await embedded.events.append(e);
    }
  });

  after(async () => {
    await pg?.close();
    await embedded?.close();
    await drop?.();
    for (const d of dirs) d.cleanup();
  });

  const reportsOn = (stores: Stores, dir: string) =>
    new Reports({
      store: FactStore.forDataDir(stores.events, dir, { cache: false, figures: stores.reportFigures }),
      articles: articleMap,
      kbDir: dir,
      windowDays: 7,
      clarifyThreshold: DEFAULT_THRESHOLDS.clarify,
      now: () => Date.parse(NOW),
    });

  async function expectSameFigures(): Promise<void> {
    expect(pg.reportFigures, 'the PostgreSQL stores count in SQL').to.exist;
    const sql = reportsOn(pg, dirs[0]!.dir);
    const scan = reportsOn(embedded, dirs[1]!.dir);
    for (const { name, input } of periods) {
      for (const groupBy of GROUP_BY) {
        const expected = await scan.deflection(input, groupBy);
        expect(expected.totals.questions, `${name}: the case has questions`).to.be.greaterThan(0);
        expect(await sql.deflection(input, groupBy), `${name}, by ${groupBy}`).to.deep.equal(expected);
      }
    }
  }

  it('for every grouping, period and window', async () => {
    await expectSameFigures();
  });

  it('for each language and channel alone, and the edge cases the scan counts', async () => {
    const sql = reportsOn(pg, dirs[0]!.dir);
    const byLang = await sql.deflection({ from: '2026-03-01', to: '2026-03-31' }, 'lang');
    expect(byLang.rows.map((r) => r.key)).to.include.members(['en', 'es']);
    const totals = (await sql.deflection({ from: '2026-02-20', to: '2026-04-20' }, 'day')).totals;
    // The generated traffic reaches every outcome, so equality above is not over zeros.
    for (const field of ['escalatedByUser', 'escalatedAfterNotHelpful', 'escalatedNoAnswer', 'confirmed'] as const)
      expect(totals[field], field).to.be.greaterThan(0);
    expect(totals.windowOpen + totals.abandoned + totals.notHelpful).to.be.greaterThan(0);
  });

  it('after a past day is rewritten (erasure) and another removed (retention), from the rewritten events', async () => {
    const sql = reportsOn(pg, dirs[0]!.dir);
    const before = await sql.deflection({ from: '2026-02-20', to: '2026-04-20' }, 'article');
    // Erase an e-mail on a closed day: its questions no longer reach that person's tickets in other conversations.
    const day = await busiestDayWithEmail(pg);
    for (const stores of [pg, embedded]) {
      await stores.events.exclusive(async () => {
        const events = await stores.events.readDay(day);
        await stores.events.rewriteDay(day, events.map(withoutEmail));
      });
      await stores.events.removeDay('2026-03-05');
    }
    await expectSameFigures();
    const after = await sql.deflection({ from: '2026-02-20', to: '2026-04-20' }, 'article');
    expect(after.totals, 'the rollups were rebuilt, not served stale').to.not.deep.equal(before.totals);
  });
});

function withoutEmail(e: DeflectEvent): DeflectEvent {
  if (!('user' in e) || !e.user?.email) return e;
  const { email: _email, ...user } = e.user;
  return { ...e, user };
}

async function busiestDayWithEmail(stores: Stores): Promise<string> {
  let best = { day: '', n: -1 };
  for (const day of await stores.events.days()) {
    if (day >= '2026-04-01') continue;
    const n = (await stores.events.readDay(day)).filter((e) => 'user' in e && e.user?.email).length;
    if (n > best.n) best = { day, n };
  }
  return best.day;
}
