import { expect } from 'chai';
import { IdempotencyKeyReusedError, NotFoundError } from '../../core/errors.ts';
import { IDEMPOTENCY_TTL_MS, newIdempotencyClaim } from '../../core/tickets/idempotency.ts';
import type { TicketDraft } from '../../core/storage/ports.ts';
import { describeStorageContract } from '../helpers/storageBackends.ts';
import { closeSolvedTickets } from '../../core/commands/closeSolvedTickets.ts';
import { followUpTokenMatches, newFollowUpToken } from '../../core/tickets/followUpToken.ts';
import type { TicketMessage } from '../../core/tickets/types.ts';

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

  it('messages, internal notes and the follow-up token hash round-trip; the token itself is nowhere', async () => {
    const { token, hash } = newFollowUpToken();
    const first: TicketMessage = {
      id: 'm1',
      from: 'customer',
      text: 'Mi tarjeta no llega',
      internal: false,
      at: '2026-06-01T10:00:00.000Z',
    };
    const t = await pair().a.tickets.create(draft({ followUpHash: hash, messages: [first], verifiedUserId: 'u-7' }));
    await pair().b.tickets.update(t.id, (x) => {
      x.messages.push({ id: 'm2', from: 'agent', text: 'nota', internal: true, at: '2026-06-01T11:00:00.000Z' });
      x.rating = { score: 'good', at: '2026-06-02T10:00:00.000Z' };
    });
    const read = await pair().a.tickets.get(t.id);
    expect(read.messages).to.deep.equal([
      first,
      { id: 'm2', from: 'agent', text: 'nota', internal: true, at: '2026-06-01T11:00:00.000Z' },
    ]);
    expect(read.rating).to.deep.equal({ score: 'good', at: '2026-06-02T10:00:00.000Z' });
    expect(followUpTokenMatches(read.followUpHash, token)).to.equal(true);
    expect(JSON.stringify(await pair().b.tickets.all())).to.not.contain(token);
    expect((await pair().a.tickets.create(draft())).messages).to.deep.equal([]);
  });

  it("lists a verified user's tickets, and tickets last changed before a time", async () => {
    const mine = await pair().a.tickets.create(draft({ verifiedUserId: 'u-1' }));
    await pair().a.tickets.create(draft({ verifiedUserId: 'u-2' }));
    await pair().a.tickets.create(draft({ userId: 'u-1' })); // an id nobody vouched for lists nothing
    expect((await pair().b.tickets.list({ verifiedUserId: 'u-1' })).tickets.map((t) => t.id)).to.deep.equal([mine.id]);
    const later = new Date(Date.now() + 60_000).toISOString();
    expect((await pair().b.tickets.list({ updatedBefore: later })).total).to.equal(3);
    expect((await pair().b.tickets.list({ updatedBefore: mine.createdAt })).total).to.equal(0);
  });

  it('an update whose change returns false writes nothing, not even the time', async () => {
    const t = await pair().a.tickets.create(draft());
    const back = await pair().b.tickets.update(t.id, (x) => {
      x.status = 'solved';
      return false;
    });
    expect(back.status).to.equal('open');
    const read = await pair().a.tickets.get(t.id);
    expect(read).to.include({ status: 'open', updatedAt: t.updatedAt });
  });

  it('the close job run by both instances at once closes each due ticket once', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const t = await pair().a.tickets.create(draft());
      await pair().a.tickets.update(t.id, (x) => void (x.status = i < 5 ? 'solved' : 'pending'));
      ids.push(t.id);
    }
    const now = new Date(Date.now() + 5 * 86_400_000);
    const [a, b] = await Promise.all([
      closeSolvedTickets({ sinks: [], tickets: pair().a.tickets }, { closeDays: 4, now }),
      closeSolvedTickets({ sinks: [], tickets: pair().b.tickets }, { closeDays: 4, now }),
    ]);
    expect([...a, ...b].sort()).to.deep.equal(ids.slice(0, 5));
    const after = await pair().a.tickets.all();
    expect(after.filter((t) => t.status === 'closed').map((t) => t.closedAt)).to.deep.equal(
      Array(5).fill(now.toISOString()),
    );
    expect(after.find((t) => t.id === ids[5])!.status).to.equal('pending');
  });

  describe('createOnce (Idempotency-Key)', () => {
    const claim = (key: string, request: unknown[] = ['ana@example.com']) => newIdempotencyClaim(key, request);

    it('the same key from both instances at once makes one ticket, given back to every caller', async () => {
      const first = claim('7a1c6f7e-2f43-4b8e-9d0e-3c1d8f0b5a21');
      const calls = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          (i % 2 ? pair().a : pair().b).tickets.createOnce({ ...first, salt: `${i}`.repeat(64) }, draft()),
        ),
      );
      expect(new Set(calls.map((c) => c.ticket.id)).size).to.equal(1);
      expect(calls.filter((c) => !c.replayed)).to.have.length(1);
      // Every replay carries the salt the first attempt stored, so it derives the same follow-up token.
      expect(new Set(calls.map((c) => c.claim.salt)).size).to.equal(1);
      expect(await pair().a.tickets.all()).to.have.length(1);
    });

    it('different keys make different tickets; a key sent with another request is refused', async () => {
      const one = await pair().a.tickets.createOnce(claim('key-one-0123456789'), draft());
      const two = await pair().b.tickets.createOnce(claim('key-two-0123456789'), draft());
      expect(one.ticket.id).to.not.equal(two.ticket.id);
      const reused = await pair()
        .b.tickets.createOnce(claim('key-one-0123456789', ['bob@example.com']), draft({ email: 'bob@example.com' }))
        .catch((e: unknown) => e);
      expect(reused).to.be.instanceOf(IdempotencyKeyReusedError);
      expect((await pair().a.tickets.all()).map((t) => t.email)).to.deep.equal(['ana@example.com', 'ana@example.com']);
    });

    it('a key is forgotten with its ticket: sent again, it makes a new one', async () => {
      const key = claim('key-three-0123456789');
      const first = await pair().a.tickets.createOnce(key, draft());
      await pair().a.tickets.removeWhere((t) => t.id === first.ticket.id);
      const again = await pair().b.tickets.createOnce(key, draft());
      expect(again.replayed).to.equal(false);
      expect(again.ticket.id).to.not.equal(first.ticket.id);
    });

    it('a key older than a day is forgotten', async () => {
      const key = claim('key-four-0123456789');
      const first = await pair().a.tickets.createOnce(key, draft());
      const later = Date.now() + IDEMPOTENCY_TTL_MS + 60_000;
      const realNow = Date.now;
      Date.now = () => later;
      try {
        const again = await pair().b.tickets.createOnce(key, draft());
        expect(again.replayed).to.equal(false);
        expect(again.ticket.id).to.not.equal(first.ticket.id);
      } finally {
        Date.now = realNow;
      }
    });
  });
});
