import { expect } from 'chai';
import { NotFoundError } from '../../core/errors.ts';
import type { TicketDraft } from '../../core/storage/ports.ts';
import { describeStorageContract } from '../helpers/storageBackends.ts';

const draft = (over: Partial<TicketDraft> = {}): TicketDraft => ({
  channel: 'widget',
  lang: 'en',
  email: 'ana@example.com',
  subject: 'My card was not delivered',
  reason: 'user',
  transcript: [{ role: 'user', text: 'where is my card', at: '2026-06-01T10:00:00.000Z' }],
  shown: [{ articleId: 'card-delivery', title: 'Card delivery', confidence: 0.4 }],
  ...over,
});

describeStorageContract('TicketRepository', (pair) => {
  it('numbers tickets T-000001, T-000002… and gives back what was stored', async () => {
    const first = await pair().a.tickets.create(draft());
    const second = await pair().a.tickets.create(draft({ email: 'bob@example.com' }));
    expect([first.id, second.id]).to.deep.equal(['T-000001', 'T-000002']);
    expect(first).to.include({ status: 'open', email: 'ana@example.com' });
    expect(first.tags).to.deep.equal([]);
    const read = await pair().a.tickets.get(first.id);
    expect(read.transcript).to.deep.equal(draft().transcript);
    expect(read.createdAt).to.equal(first.createdAt);
  });

  it('a ticket created on one instance is read, listed and updated on the other', async () => {
    const t = await pair().a.tickets.create(draft());
    expect((await pair().b.tickets.get(t.id)).subject).to.equal('My card was not delivered');
    expect((await pair().b.tickets.list()).tickets.map((x) => x.id)).to.deep.equal([t.id]);
    await pair().b.tickets.update(t.id, (x) => void (x.status = 'pending'));
    expect((await pair().a.tickets.get(t.id)).status).to.equal('pending');
  });

  it('tickets created at once on both instances all get distinct ids', async () => {
    const made = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (i % 2 ? pair().a : pair().b).tickets.create(draft({ email: `u${i}@example.com` })),
      ),
    );
    expect(new Set(made.map((t) => t.id)).size).to.equal(20);
    expect((await pair().a.tickets.all()).length).to.equal(20);
  });

  it('an unknown id is NotFoundError', async () => {
    const error = await pair()
      .a.tickets.get('T-999999')
      .catch((e: unknown) => e);
    expect(error).to.be.instanceOf(NotFoundError);
  });

  it('lists newest first, filtered by status, tag, language and channel, one page at a time', async () => {
    const { tickets } = pair().a;
    const ids: string[] = [];
    for (const [i, lang] of (['en', 'es', 'en'] as const).entries()) {
      ids.push(
        (
          await tickets.create(
            draft({ lang, channel: i === 2 ? 'msteams' : 'widget', tags: i === 0 ? ['billing'] : [] }),
          )
        ).id,
      );
      await new Promise((r) => setTimeout(r, 5));
    }
    await tickets.update(ids[1]!, (t) => void (t.status = 'solved'));
    expect((await tickets.list()).tickets.map((t) => t.id)).to.deep.equal([ids[2], ids[1], ids[0]]);
    expect((await tickets.list({ status: 'solved' })).tickets.map((t) => t.id)).to.deep.equal([ids[1]]);
    expect((await tickets.list({ tag: 'billing' })).tickets.map((t) => t.id)).to.deep.equal([ids[0]]);
    expect((await tickets.list({ lang: 'en' })).total).to.equal(2);
    expect((await tickets.list({ channel: 'msteams' })).tickets.map((t) => t.id)).to.deep.equal([ids[2]]);
    const page2 = await tickets.list({ page: 2, pageSize: 2 });
    expect(page2).to.deep.include({ total: 3, page: 2, pageSize: 2 });
    expect(page2.tickets.map((t) => t.id)).to.deep.equal([ids[0]]);
    const created = (await tickets.get(ids[1]!)).createdAt;
    expect((await tickets.list({ from: created })).tickets.map((t) => t.id)).to.deep.equal([ids[2], ids[1]]);
    expect((await tickets.list({ to: created })).tickets.map((t) => t.id)).to.deep.equal([ids[0]]);
  });

  it('an update that throws changes nothing', async () => {
    const t = await pair().a.tickets.create(draft());
    const error = await pair()
      .a.tickets.update(t.id, (x) => {
        x.status = 'solved';
        throw new Error('refused');
      })
      .catch((e: Error) => e);
    expect(error).to.be.instanceOf(Error);
    expect((await pair().b.tickets.get(t.id)).status).to.equal('open');
  });

  it('concurrent updates from both instances are applied one after the other', async () => {
    const t = await pair().a.tickets.create(draft());
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        (i % 2 ? pair().a : pair().b).tickets.update(
          t.id,
          (x) => void x.notes.push({ at: new Date().toISOString(), text: `note ${i}` }),
        ),
      ),
    );
    expect((await pair().a.tickets.get(t.id)).notes).to.have.length(10);
  });

  it('removeWhere deletes the matching tickets and numbering goes on', async () => {
    const keep = await pair().a.tickets.create(draft());
    const drop = await pair().a.tickets.create(draft({ email: 'gone@example.com' }));
    expect(await pair().b.tickets.removeWhere((t) => t.email === 'gone@example.com')).to.deep.equal([drop.id]);
    expect((await pair().a.tickets.all()).map((t) => t.id)).to.deep.equal([keep.id]);
    expect((await pair().a.tickets.create(draft())).id).to.equal('T-000003');
  });
});
