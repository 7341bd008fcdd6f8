import { expect } from 'chai';
import { TicketStore } from '../../core/tickets/ticketStore.ts';
import { tempDir } from '../helpers/tempDir.ts';
import { ticketDraft } from '../helpers/ticketDraft.ts';

/**
 * The built-in store when one file write fails (a full disk, an I/O error)
 * while other changes are in flight: the failed change is taken back, and
 * nothing another caller was told is stored is lost or given twice.
 */
describe('the built-in ticket store: a failed write among changes in flight', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => (tmp = tempDir()));
  afterEach(() => tmp.cleanup());

  /** The store's next file write fails, a moment later; the ones after it go to disk. */
  function failNextWrite(store: TicketStore): void {
    const adapter = store.adapter;
    const write = adapter.write.bind(adapter);
    let failed = false;
    adapter.write = (data) => {
      if (failed) return write(data);
      failed = true;
      return new Promise((_resolve, reject) => setTimeout(() => reject(new Error('ENOSPC')), 20));
    };
  }

  it('keeps a change to a ticket stored after an earlier change to it failed', async () => {
    const store = await TicketStore.open(tmp.dir);
    const { id } = await store.create(ticketDraft());
    failNextWrite(store);
    const [priority, tag] = await Promise.allSettled([
      store.update(id, (t) => void (t.priority = 'P1')),
      store.update(id, (t) => void t.tags.push('vip')),
    ]);
    expect(priority.status).to.equal('rejected');
    expect(tag.status).to.equal('fulfilled');
    expect((await store.get(id)).tags).to.deep.equal(['vip']);
    expect((await store.get(id)).priority).to.equal(undefined);

    await store.save();
    const reopened = await TicketStore.open(tmp.dir);
    expect((await reopened.get(id)).tags).to.deep.equal(['vip']);
    expect((await reopened.get(id)).priority).to.equal(undefined);
  });

  it('never gives a ticket number twice when a create fails while another is stored', async () => {
    const store = await TicketStore.open(tmp.dir);
    failNextWrite(store);
    const [first, second] = await Promise.allSettled([
      store.create(ticketDraft({ email: 'one@example.com' })),
      store.create(ticketDraft({ email: 'two@example.com' })),
    ]);
    expect(first.status).to.equal('rejected');
    expect(second.status).to.equal('fulfilled');
    const third = await store.create(ticketDraft({ email: 'three@example.com' }));
    const ids = (await store.all()).map((t) => t.id);
    expect(ids).to.deep.equal(['T-000002', 'T-000003']);
    expect(third.id).to.equal('T-000003');
  });

  it('gives a failed create’s number to the next ticket when none was created meanwhile', async () => {
    const store = await TicketStore.open(tmp.dir);
    failNextWrite(store);
    await store.create(ticketDraft()).then(
      () => expect.fail('the failed write was acknowledged'),
      () => undefined,
    );
    expect((await store.create(ticketDraft())).id).to.equal('T-000001');
  });

  it('keeps a ticket created while a removal failed', async () => {
    const store = await TicketStore.open(tmp.dir);
    const old = await store.create(ticketDraft({ email: 'old@example.com' }));
    failNextWrite(store);
    const [removal, created] = await Promise.allSettled([
      store.removeWhere((t) => t.id === old.id),
      store.create(ticketDraft({ email: 'new@example.com' })),
    ]);
    expect(removal.status).to.equal('rejected');
    expect(created.status).to.equal('fulfilled');
    expect((await store.all()).map((t) => t.email)).to.deep.equal(['old@example.com', 'new@example.com']);
    await store.save();
    const reopened = await TicketStore.open(tmp.dir);
    expect((await reopened.all()).map((t) => t.email)).to.deep.equal(['old@example.com', 'new@example.com']);
  });
});
