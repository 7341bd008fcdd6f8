import { expect } from 'chai';
import { FactStore } from '../../core/reports/factStore.ts';
import type { EventStore } from '../../core/storage/ports.ts';
import { tempDir } from '../helpers/tempDir.ts';

/** An event store of three past days that counts how many days were read. */
function eventsOfThreeDays(shared: boolean): EventStore & { daysRead: number } {
  const store = {
    daysRead: 0,
    init: async () => undefined,
    append: async () => {
      throw new Error('not used');
    },
    read: async function* () {},
    days: async () => ['2026-03-01', '2026-03-02', '2026-03-03'],
    readDay: async () => {
      store.daysRead++;
      return [];
    },
    exclusive: <T>(fn: () => Promise<T>) => fn(),
    rewriteDay: async () => undefined,
    removeDay: async () => undefined,
    close: async () => undefined,
    ...(shared ? { fingerprint: async (days: string[]) => days.join('|') } : {}),
  };
  return store;
}

describe('warming the report caches', () => {
  it('reads a closed day of the embedded log to cache its facts', async () => {
    const tmp = tempDir();
    try {
      const events = eventsOfThreeDays(false);
      await FactStore.forDataDir(events, tmp.dir, { cache: true }).warm('2026-03-10');
      expect(events.daysRead).to.equal(3);
    } finally {
      tmp.cleanup();
    }
  });

  it('reads nothing from a shared event log (PostgreSQL), which has no day files to cache against', async () => {
    const tmp = tempDir();
    try {
      const events = eventsOfThreeDays(true);
      expect(await FactStore.forDataDir(events, tmp.dir, { cache: true }).warm('2026-03-10')).to.equal(0);
      expect(events.daysRead).to.equal(0);
    } finally {
      tmp.cleanup();
    }
  });
});
