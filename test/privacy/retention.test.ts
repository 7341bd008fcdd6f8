import { existsSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { applyRetention, applyTicketRetention } from '../../core/privacy/retention.ts';
import { TicketStore } from '../../core/tickets/ticketStore.ts';
import { tempDir } from '../helpers/tempDir.ts';
import { asked, logWith } from '../reports/builders.ts';

describe('event retention', () => {
  it('deletes whole days older than the retention period, with their report caches, and keeps the rest', async () => {
    const now = '2026-06-30T12:00:00.000Z';
    const f = await logWith(
      [
        asked('2026-03-01T10:00:00.000Z'),
        asked('2026-05-30T23:59:59.000Z'),
        asked('2026-05-31T00:00:00.000Z'),
        asked('2026-06-30T09:00:00.000Z'),
      ],
      { now, cache: true },
    );
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

const draft = (email: string) => ({
  email,
  subject: email,
  channel: 'widget' as const,
  lang: 'en' as const,
  reason: 'user' as const,
  transcript: [],
  shown: [],
});

describe('ticket retention', () => {
  it('deletes solved tickets untouched for longer than the period, keeps open and pending ones, and writes it to disk', async () => {
    const tmp = tempDir();
    try {
      const store = await TicketStore.open(tmp.dir);
      const make = async (status: 'open' | 'pending' | 'solved', updatedAt: string) => {
        const t = await store.create(draft(`${status}@example.com`));
        await store.update(t.id, (x) => void (x.status = status));
        // update() stamps the time; age it by hand, as if it had been solved back then.
        (await store.get(t.id)).updatedAt = updatedAt;
        return t.id;
      };
      const oldSolved = await make('solved', '2026-01-10T00:00:00.000Z');
      const recentSolved = await make('solved', '2026-06-20T00:00:00.000Z');
      const oldOpen = await make('open', '2026-01-10T00:00:00.000Z');
      const oldPending = await make('pending', '2026-01-10T00:00:00.000Z');
      await store.save();

      const removed = await applyTicketRetention(store, 90, { now: Date.parse('2026-06-30T12:00:00.000Z') });
      expect(removed).to.deep.equal([oldSolved]);
      const reopened = await TicketStore.open(tmp.dir);
      expect((await reopened.all()).map((t) => t.id)).to.deep.equal([recentSolved, oldOpen, oldPending]);
      // Numbering goes on: a deleted ticket's number is never given again.
      expect((await reopened.create(draft('new@example.com'))).id).to.equal('T-000005');
    } finally {
      tmp.cleanup();
    }
  });

  it('0 keeps every ticket', async () => {
    const tmp = tempDir();
    try {
      const store = await TicketStore.open(tmp.dir);
      const t = await store.create(draft('a@example.com'));
      await store.update(t.id, (x) => void (x.status = 'solved'));
      expect(await applyTicketRetention(store, 0, { now: Date.parse('2099-01-01T00:00:00.000Z') })).to.deep.equal([]);
      expect(await store.all()).to.have.length(1);
    } finally {
      tmp.cleanup();
    }
  });
});
