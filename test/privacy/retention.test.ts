import { existsSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { applyRetention } from '../../core/privacy/retention.ts';
import { asked, logWith } from '../reports/builders.ts';

describe('event retention', () => {
  it('deletes whole days older than the retention period, with their report caches, and keeps the rest', async () => {
    const now = '2026-06-30T12:00:00.000Z';
    const f = await logWith([asked('2026-03-01T10:00:00.000Z'), asked('2026-05-30T23:59:59.000Z'), asked('2026-05-31T00:00:00.000Z'), asked('2026-06-30T09:00:00.000Z')], { now, cache: true });
    try {
      await f.reports.deflection({ from: '2026-01-01', to: '2026-06-30' }, 'day');
      expect(existsSync(path.join(f.dataDir, 'reports', 'facts', '2026-03-01.facts'))).to.equal(true);
      const removed = await applyRetention(f.events, 30, { facts: f.store, now: Date.parse(now) });
      // 30 days before now is 2026-05-31 12:00: all of May 30 is older, part of May 31 is not.
      expect(removed).to.deep.equal(['2026-03-01', '2026-05-30']);
      expect(await f.events.days()).to.deep.equal(['2026-05-31', '2026-06-30']);
      expect(existsSync(path.join(f.dataDir, 'reports', 'facts', '2026-03-01.facts'))).to.equal(false);
    } finally {
      f.cleanup();
    }
  });

  it('0 keeps everything', async () => {
    const f = await logWith([asked('2020-01-01T10:00:00.000Z')], { now: '2026-06-30T12:00:00.000Z' });
    try {
      expect(await applyRetention(f.events, 0)).to.deep.equal([]);
      expect(await f.events.days()).to.deep.equal(['2020-01-01']);
    } finally {
      f.cleanup();
    }
  });
});
