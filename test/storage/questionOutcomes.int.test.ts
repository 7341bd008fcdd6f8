import pg from 'pg';
import { expect } from 'chai';
import type { NewEvent } from '../../core/events/types.ts';
import { openStores } from '../../core/storage/openStores.ts';
import type { Stores } from '../../core/storage/ports.ts';
import { PgImport } from '../../core/storage/postgres/pgImport.ts';
import { asked, judged, plus, ticketed } from '../reports/builders.ts';
import { expectOutcomesRebuildTheSame, expectSameFigures, traffic } from '../helpers/reportTraffic.ts';
import { freshDatabase, postgresUnavailable, skipWhen } from '../helpers/services.ts';
import { tempDir } from '../helpers/tempDir.ts';

/**
 * The per-question outcomes PostgreSQL keeps as events arrive (migration
 * 0010) do not depend on how the events arrive: appends racing from many
 * connections on the same questions, or a migrate-store import in batches,
 * leave the table a rebuild from the whole log makes, and the report the
 * in-process scan makes of the same events.
 */
const bot = { stateTtlDays: 30 };

describe('Question outcomes in PostgreSQL, however the events arrive', function () {
  this.timeout(180_000);
  const opened: { stores: Stores; drop?: () => Promise<void>; cleanup: () => void }[] = [];

  before(async function () {
    const reason = await postgresUnavailable();
    skipWhen(reason, this);
  });

  after(async () => {
    for (const o of opened) {
      await o.stores.close();
      await o.drop?.();
      o.cleanup();
    }
  });

  async function postgres(): Promise<{ stores: Stores; dir: string; url: string }> {
    const db = await freshDatabase();
    const dir = tempDir();
    const stores = await openStores({
      dataDir: dir.dir,
      bot,
      storage: { databaseUrl: db.url, redisKeyPrefix: 'unused:' },
    });
    opened.push({ stores, drop: db.drop, cleanup: dir.cleanup });
    return { stores, dir: dir.dir, url: db.url };
  }

  async function embeddedWith(events: NewEvent[]): Promise<{ stores: Stores; dir: string }> {
    const dir = tempDir();
    const stores = await openStores({ dataDir: dir.dir, bot });
    opened.push({ stores, cleanup: dir.cleanup });
    for (const e of events) await stores.events.append(e);
    return { stores, dir: dir.dir };
  }

  it('appends racing on the same questions, from many connections, settle as if made one at a time', async () => {
    const db = await postgres();
    // Not traffic(): its events of the same millisecond are ordered by their appends, which a race leaves to chance.
    const events = racingEvents();
    // Everything at once: a pool of connections, so feedback, follow-ups and tickets of one question (and of one
    // person across conversations) are settled by concurrent transactions, some before their question is committed.
    await Promise.all(events.map((e) => db.stores.events.append(e)));
    const inTimeOrder = [...events].sort((a, b) => Date.parse(a.at!) - Date.parse(b.at!));
    await expectSameFigures(db, await embeddedWith(inTimeOrder));
    await expectOutcomesRebuildTheSame(db.url);
  });

  it('an import of an embedded log (migrate-store), in batches, fills them; running it again changes nothing', async () => {
    const db = await postgres();
    const embedded = await embeddedWith(traffic());
    const pool = new pg.Pool({ connectionString: db.url, max: 2 });
    try {
      const target = new PgImport(pool);
      const importAll = async () => {
        let moved = 0;
        for (const day of await embedded.stores.events.days())
          moved += (await target.events(day, await embedded.stores.events.readDay(day))).moved;
        return moved;
      };
      expect(await importAll()).to.be.greaterThan(500);
      await expectSameFigures(db, embedded);
      expect(await importAll(), 'a re-run').to.equal(0);
      await expectSameFigures(db, embedded);
      await expectOutcomesRebuildTheSame(db.url);
    } finally {
      await pool.end();
    }
  });
});

/**
 * 150 conversations, each a question just before midnight and, just after
 * it, a "Yes", a follow-up question, a "No" and a ticket, with a ticket from
 * the same person in another conversation; a person every third
 * conversation, so one person's ticket reaches questions of other
 * conversations within the window. Across midnight, because appends of one
 * day already take turns on that day's version row (migration 0004): the
 * race that outcomes_lock settles is between days. No two events share a
 * millisecond, so time order alone decides.
 */
function racingEvents(): NewEvent[] {
  const events: NewEvent[] = [];
  for (let k = 0; k < 150; k++) {
    const at = (ms: number) => plus('2026-02-22T00:00:00.000Z', Math.floor(k / 3), ms + k);
    const user = { id: `racer-${k % 3}` };
    const conversationId = `race-${k}`;
    events.push(
      asked(at(-500), { conversationId, user, action: 'clarify' }),
      judged(at(1000), true, { conversationId, user }),
      asked(at(2000), { conversationId, user }),
      judged(at(3000), false, { conversationId, user }),
      ticketed(at(4000), 'not_helpful', { conversationId: `race-${k}-other`, user }),
      ticketed(at(5000), 'user', { conversationId, user }),
    );
  }
  return events;
}
