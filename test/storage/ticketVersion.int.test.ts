import { expect } from 'chai';
import { TicketChangedError } from '../../core/errors.ts';
import type { Ticket } from '../../core/tickets/types.ts';
import { expectVersion, versionOf } from '../../core/tickets/ticketVersion.ts';
import { describeStorageContract } from '../helpers/storageBackends.ts';
import { ticketDraft } from '../helpers/ticketDraft.ts';

/** A change of team made against `version`: what an agent's save does inside the store's update. */
const setTeam = (version: string, team: string) => (t: Ticket) => {
  expectVersion(t, version, (current) => current);
  t.team = team;
};

describeStorageContract('TicketRepository: a change made against a version (compare-and-set)', (pair) => {
  it('applies against the current version, and is refused against an older one with nothing written', async () => {
    const { tickets } = pair().a;
    const t = await tickets.create(ticketDraft({ team: 'billing' }));
    const v0 = versionOf(t);
    const changed = await tickets.update(t.id, setTeam(v0, 'network'));
    expect(changed.team).to.equal('network');
    expect(versionOf(changed)).to.not.equal(v0);

    const stale = await tickets.update(t.id, setTeam(v0, 'hardware')).then(
      () => expect.fail('a change against a replaced version was applied'),
      (error: unknown) => error,
    );
    expect(stale).to.be.instanceOf(TicketChangedError);
    const refusal = stale as TicketChangedError<Ticket>;
    expect(refusal.code).to.equal('ticket_changed');
    expect(refusal.details).to.include({ id: t.id, expected: v0, version: versionOf(changed) });
    expect(refusal.current.team).to.equal('network');
    const stored = await pair().b.tickets.get(t.id);
    expect(stored.team).to.equal('network');
    expect(versionOf(stored)).to.equal(versionOf(changed));
  });

  it('of two changes against one version sent at once, from two instances, exactly one applies', async () => {
    const t = await pair().a.tickets.create(ticketDraft());
    const v0 = versionOf(t);
    for (let round = 0; round < 5; round++) {
      const version = round === 0 ? v0 : versionOf(await pair().a.tickets.get(t.id));
      const results = await Promise.allSettled([
        pair().a.tickets.update(t.id, setTeam(version, `a${round}`)),
        pair().b.tickets.update(t.id, setTeam(version, `b${round}`)),
      ]);
      const applied = results.filter((r) => r.status === 'fulfilled');
      const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(applied, `round ${round}`).to.have.length(1);
      expect(refused, `round ${round}`).to.have.length(1);
      expect(refused[0]!.reason).to.be.instanceOf(TicketChangedError);
      const winner = (applied[0] as PromiseFulfilledResult<Ticket>).value;
      expect((await pair().b.tickets.get(t.id)).team).to.equal(winner.team);
      // The refused change saw the winner's ticket: what the agent is shown instead.
      expect((refused[0]!.reason as TicketChangedError<Ticket>).current.team).to.equal(winner.team);
    }
  });

  it('moves with every change, whoever makes it, and not with a change that writes nothing', async () => {
    const { tickets } = pair().a;
    const t = await tickets.create(ticketDraft());
    // Versions read as they come: the embedded store hands out its own copy, which later changes move.
    const created = versionOf(t);
    // A customer's message, as the follow-up routes add it: no triage field, a new version all the same.
    const replied = await tickets.update(t.id, (x) => {
      x.messages.push({
        id: 'm1',
        from: 'customer',
        text: 'Still broken',
        internal: false,
        at: new Date().toISOString(),
      });
    });
    const v = versionOf(replied);
    expect(v).to.not.equal(created);
    const untouched = await pair().b.tickets.update(t.id, () => false);
    expect(versionOf(untouched)).to.equal(v);
  });
});
