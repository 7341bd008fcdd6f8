import { expect } from 'chai';
import type { TicketDraft } from '../../core/storage/ports.ts';
import { describeStorageContract } from '../helpers/storageBackends.ts';
import { ticketDraft } from '../helpers/ticketDraft.ts';

const draft = (over: Partial<TicketDraft> = {}): TicketDraft => ticketDraft({ subject: 'Charged twice', ...over });

describeStorageContract('TicketRepository: triage fields', (pair) => {
  it('lists by team, priority, type and category (any case), on either instance', async () => {
    const { tickets } = pair().a;
    const a = await tickets.create(draft({ team: 'billing', priority: 'P1', type: 'incident', category: 'Billing' }));
    const b = await tickets.create(draft({ team: 'billing', priority: 'P3', type: 'question' }));
    const c = await tickets.create(draft({ team: 'network', priority: 'P1', type: 'incident', category: 'Network' }));
    await tickets.create(draft());
    const ids = async (q: Parameters<typeof tickets.list>[0]) =>
      (await pair().b.tickets.list(q)).tickets.map((t) => t.id).sort();
    expect(await ids({ team: 'billing' })).to.deep.equal([a.id, b.id]);
    expect(await ids({ priority: 'P1' })).to.deep.equal([a.id, c.id]);
    expect(await ids({ type: 'incident', team: 'network' })).to.deep.equal([c.id]);
    expect(await ids({ category: 'billing' })).to.deep.equal([a.id]);
    expect((await pair().b.tickets.list({ team: 'billing' })).total).to.equal(2);
  });

  it('a change of team or priority moves the ticket between filters', async () => {
    const t = await pair().a.tickets.create(draft({ team: 'billing', priority: 'P3' }));
    await pair().b.tickets.update(t.id, (x) => {
      x.team = 'network';
      x.priority = 'P2';
    });
    expect((await pair().a.tickets.list({ team: 'billing' })).total).to.equal(0);
    expect((await pair().a.tickets.list({ team: 'network', priority: 'P2' })).tickets.map((x) => x.id)).to.deep.equal([
      t.id,
    ]);
  });
});
