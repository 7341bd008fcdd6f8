import { expect } from 'chai';
import type { NewEvent } from '../../core/events/types.ts';
import { describeStorageContract } from '../helpers/storageBackends.ts';

const question = (conversationId: string, text: string): NewEvent => ({
  type: 'question',
  conversationId,
  channel: 'widget',
  lang: 'en',
  question: text,
  action: 'answer',
  articleId: 'reset-password',
  shown: [{ articleId: 'reset-password', confidence: 0.9 }],
  ranked: [{ articleId: 'reset-password', confidence: 0.9 }],
  reply: 'Reset your password: …',
});

const collect = async <T>(it: AsyncIterable<T>): Promise<T[]> => {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
};

describeStorageContract('EventStore', (pair) => {
  it('an appended event comes back with an id and a time, from either instance, in append order', async () => {
    const e1 = await pair().a.events.append(question('c1', 'first'));
    const e2 = await pair().b.events.append(question('c1', 'second'));
    expect(e1.id).to.be.a('string').and.not.equal(e2.id);
    expect(Date.parse(e1.at)).to.be.closeTo(Date.now(), 60_000);
    for (const s of [pair().a, pair().b]) {
      const read = await collect(s.events.read());
      expect(read.map((e) => e.id)).to.deep.equal([e1.id, e2.id]);
      expect(read[0]).to.deep.equal(e1);
    }
  });

  it('read(from, to) keeps from and leaves out to', async () => {
    const e1 = await pair().a.events.append(question('c1', 'one'));
    await new Promise((r) => setTimeout(r, 5));
    const e2 = await pair().a.events.append(question('c1', 'two'));
    expect((await collect(pair().b.events.read(e2.at))).map((e) => e.id)).to.deep.equal([e2.id]);
    expect((await collect(pair().b.events.read(e1.at, e2.at))).map((e) => e.id)).to.deep.equal([e1.id]);
  });

  it('days and readDay see every instance’s events', async () => {
    const e1 = await pair().a.events.append(question('c1', 'one'));
    const e2 = await pair().b.events.append(question('c2', 'two'));
    const day = e1.at.slice(0, 10);
    expect(await pair().a.events.days()).to.include(day);
    expect((await pair().a.events.readDay(day)).map((e) => e.id)).to.include.members([e1.id, e2.id]);
  });

  it('days lists each day that holds events once, oldest first, and forgets a removed one', async () => {
    const at = (day: string, n: number) => ({ ...question(`c-${day}`, `q${n}`), at: `${day}T0${n}:00:00.000Z` });
    // Appended out of order, several per day: the list is by day, not by append order.
    for (const [day, n] of [
      ['2026-03-02', 1],
      ['2026-01-15', 2],
      ['2026-03-02', 3],
      ['2025-12-31', 4],
    ] as const)
      await pair().a.events.append(at(day, n) as NewEvent);
    expect(await pair().b.events.days()).to.deep.equal(['2025-12-31', '2026-01-15', '2026-03-02']);
    await pair().b.events.removeDay('2026-01-15');
    expect(await pair().a.events.days()).to.deep.equal(['2025-12-31', '2026-03-02']);
  });

  it('rewriting a day replaces what was read and keeps an event appended meanwhile', async () => {
    const e1 = await pair().a.events.append(question('c1', 'ana@example.com asked'));
    const day = e1.at.slice(0, 10);
    const { appended } = await pair().a.events.exclusive(async () => {
      const events = await pair().a.events.readDay(day);
      // Another instance appends between the read and the rewrite (embedded: held back until the rewrite is done).
      const appended = pair().b.events.append(question('c2', 'meanwhile'));
      await pair().a.events.rewriteDay(
        day,
        events.map((e) => (e.type === 'question' ? { ...e, question: '[erased] asked' } : e)),
      );
      // Wrapped: returning the promise itself would make the rewrite wait for an append that waits for it.
      return { appended };
    });
    const late = await appended;
    const after = await pair().b.events.readDay(day);
    expect(after.map((e) => (e.type === 'question' ? e.question : e.type))).to.deep.equal([
      '[erased] asked',
      'meanwhile',
    ]);
    expect(after[1]!.id).to.equal(late.id);
  });

  it('removeDay deletes that day for every instance', async () => {
    const e1 = await pair().a.events.append(question('c1', 'one'));
    const day = e1.at.slice(0, 10);
    await pair().b.events.removeDay(day);
    expect(await pair().a.events.readDay(day)).to.deep.equal([]);
    expect(await pair().a.events.days()).to.not.include(day);
  });
});
