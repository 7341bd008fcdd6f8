import { expect } from 'chai';
import type { DeflectEvent } from '../../core/events/types.ts';
import type { Stores } from '../../core/storage/ports.ts';
import { asked, judged, ticketed } from '../reports/builders.ts';
import { expectOutcomesRebuildTheSame, expectSameFigures, reportsOn, traffic } from '../helpers/reportTraffic.ts';
import { openSqlBesideScan } from '../helpers/storageBackends.ts';

/**
 * The deflection report computed in SQL (PostgreSQL: rollups of closed days,
 * the open days summed from the per-question outcomes the triggers of
 * migration 0010 keep) gives exactly the figures of the in-process scan over
 * the embedded log, for the same events: every grouping, period ends on and
 * off midnight, several windows and their inclusive ends, ties, events
 * appended out of time order or days later, and after past days were
 * rewritten (an erasure) or removed (retention).
 */
describe('Deflection figures in PostgreSQL equal the in-process scan', function () {
  this.timeout(180_000);
  let pg: Stores;
  let embedded: Stores;
  let dirs: [string, string];
  let databaseUrl: string;
  let close: (() => Promise<void>) | undefined;
  const both = () =>
    [
      { stores: pg, dir: dirs[0] },
      { stores: embedded, dir: dirs[1] },
    ] as const;
  const appendToBoth = async (events: ReturnType<typeof traffic>) => {
    for (const e of events) {
      await pg.events.append(e);
      await embedded.events.append(e);
    }
  };

  before(async function () {
    ({ pg, embedded, dirs, databaseUrl, close } = await openSqlBesideScan(this));
    await appendToBoth(traffic());
  });

  after(async () => {
    await close?.();
  });

  it('for every grouping, period and window', async () => {
    await expectSameFigures(...both());
  });

  it('for each language and channel alone, and the edge cases the scan counts', async () => {
    const sql = reportsOn(pg, dirs[0]);
    const byLang = await sql.deflection({ from: '2026-03-01', to: '2026-03-31' }, 'lang');
    expect(byLang.rows.map((r) => r.key)).to.include.members(['en', 'es']);
    const totals = (await sql.deflection({ from: '2026-02-20', to: '2026-04-20' }, 'day')).totals;
    // The generated traffic reaches every outcome, so equality above is not over zeros.
    for (const field of ['escalatedByUser', 'escalatedAfterNotHelpful', 'escalatedNoAnswer', 'confirmed'] as const)
      expect(totals[field], field).to.be.greaterThan(0);
    expect(totals.windowOpen + totals.abandoned + totals.notHelpful).to.be.greaterThan(0);
  });

  it('when events of closed days arrive late (another instance, an import): their days are counted again', async () => {
    const sql = reportsOn(pg, dirs[0]);
    const day = { from: '2026-03-15', to: '2026-03-15' };
    const before = await sql.deflection(day, 'day');
    const late = '2026-03-15T10:00:00.000Z';
    await appendToBoth([
      asked(late, { conversationId: 'late-1', user: { id: 'late-person' } }),
      asked(late, { conversationId: 'late-3' }),
      judged('2026-03-15T12:00:00.000Z', false, { conversationId: 'late-3' }),
    ]);
    await expectSameFigures(...both());
    // Only a later day's event, reaching back: a ticket two days later from the same person in another conversation.
    await appendToBoth([
      ticketed('2026-03-17T10:00:00.000Z', 'user', { conversationId: 'late-2', user: { id: 'late-person' } }),
    ]);
    await expectSameFigures(...both());
    // A question appended after the "No" but asked before it: the "No" is the new question's.
    await appendToBoth([asked('2026-03-15T11:00:00.000Z', { conversationId: 'late-3', action: 'clarify' })]);
    await expectSameFigures(...both());
    const after = await sql.deflection(day, 'day');
    expect(after.totals.questions - before.totals.questions).to.equal(3);
    expect(after.totals.escalated - before.totals.escalated, 'the rollup of that closed day was rebuilt').to.equal(1);
  });

  it('counts a ticket once per tag and category: several articles, shared tags, questions on several days', async () => {
    const sql = reportsOn(pg, dirs[0]);
    const march = { from: '2026-03-01', to: '2026-03-31' };
    const ticketsOf = async (groupBy: 'tag' | 'category', key: string) =>
      (await sql.deflection(march, groupBy)).rows.find((r) => r.key === key)?.tickets ?? 0;
    const before = { account: await ticketsOf('tag', 'account'), accounts: await ticketsOf('category', 'Accounts') };
    // One day, one conversation: three articles, two of them tagged "account", one ticket.
    const many = { conversationId: 'sets-1' };
    await appendToBoth([
      asked('2026-03-18T09:00:00.000Z', { ...many, articleId: 'reset-password-en' }),
      asked('2026-03-18T09:01:00.000Z', { ...many, articleId: 'vpn-setup-en' }),
      asked('2026-03-18T09:02:00.000Z', { ...many, articleId: 'account-locked-en' }),
      ticketed('2026-03-18T09:03:00.000Z', 'user', many),
    ]);
    // One person over two days and two conversations, the ticket in a third on the day after.
    const spread = { user: { id: 'sets-person' } };
    await appendToBoth([
      asked('2026-03-20T22:00:00.000Z', { ...spread, conversationId: 'sets-2', articleId: 'reset-password-en' }),
      asked('2026-03-21T08:00:00.000Z', { ...spread, conversationId: 'sets-3', articleId: 'account-locked-en' }),
      ticketed('2026-03-22T10:00:00.000Z', 'user', { ...spread, conversationId: 'sets-4' }),
    ]);
    await expectSameFigures(...both());
    expect(await ticketsOf('tag', 'account'), 'each ticket once under "account"').to.equal(before.account + 2);
    expect(await ticketsOf('category', 'Accounts')).to.equal(before.accounts + 2);
    // A ticket whose questions were all on one day (its day rolled up so) reaches, late, a question of the day
    // before: its day's rollup is rebuilt, or the ticket would count twice under "account".
    const late = { user: { id: 'sets-late' } };
    await appendToBoth([
      asked('2026-03-25T10:00:00.000Z', { ...late, conversationId: 'sets-5', articleId: 'reset-password-en' }),
      ticketed('2026-03-26T09:00:00.000Z', 'user', { ...late, conversationId: 'sets-6' }),
    ]);
    await expectSameFigures(...both());
    await appendToBoth([
      asked('2026-03-24T12:00:00.000Z', { ...late, conversationId: 'sets-7', articleId: 'account-locked-en' }),
    ]);
    await expectSameFigures(...both());
    expect(await ticketsOf('tag', 'account')).to.equal(before.account + 3);
  });

  it('after a past day is rewritten (erasure) and another removed (retention), from the rewritten events', async () => {
    const sql = reportsOn(pg, dirs[0]);
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
    await expectSameFigures(...both());
    const after = await sql.deflection({ from: '2026-02-20', to: '2026-04-20' }, 'article');
    expect(after.totals, 'the rollups were rebuilt, not served stale').to.not.deep.equal(before.totals);
  });

  it('kept event by event, the outcomes equal those rebuilt from the whole log at once', async () => {
    await expectOutcomesRebuildTheSame(databaseUrl);
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
