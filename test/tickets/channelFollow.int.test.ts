import { expect } from 'chai';
import { channelTicketIds, followerOf, followFromChannel } from '../../core/tickets/channelFollow.ts';
import { describeStorageContract } from '../helpers/storageBackends.ts';

describeStorageContract('channel follow-up (the bot’s tickets per chat user, in the channel state)', (pair) => {
  const reference = (n: number) => ({ serviceUrl: 'http://127.0.0.1:1/', conversation: { id: `c-${n}` } });

  it('one instance remembers a ticket opened in a chat; the other lists it and finds where to write', async () => {
    const a = await pair().a.channelState();
    const b = await pair().b.channelState();
    await followFromChannel(a, 'T-000001', {
      channelUser: 'msteams/29:ana',
      userId: 'aad-ana',
      reference: reference(1),
    });
    await followFromChannel(a, 'T-000002', {
      channelUser: 'msteams/29:ana',
      userId: 'aad-ana',
      reference: reference(2),
    });
    expect(await channelTicketIds(b, 'msteams/29:ana')).to.deep.equal(['T-000001', 'T-000002']);
    expect(await channelTicketIds(b, 'msteams/29:eve')).to.deep.equal([]);
    expect(await followerOf(b, 'T-000002')).to.deep.equal({
      channelUser: 'msteams/29:ana',
      userId: 'aad-ana',
      reference: reference(2),
    });
    expect(await followerOf(b, 'T-000404')).to.equal(undefined);
  });

  it('tickets opened at the same moment by one person are all kept, on one instance or on two', async () => {
    const a = await pair().a.channelState();
    const b = await pair().b.channelState();
    const first = Array.from({ length: 4 }, (_, i) => `T-00020${i}`);
    await Promise.all(
      first.map((id, i) => followFromChannel(a, id, { channelUser: 'webchat/luis', reference: reference(i) })),
    );
    expect(await channelTicketIds(a, 'webchat/luis')).to.have.members(first);
    const ids = Array.from({ length: 6 }, (_, i) => `T-00010${i}`);
    await Promise.all(
      ids.map((id, i) =>
        followFromChannel(i % 2 ? a : b, id, { channelUser: 'webchat/luis', reference: reference(i) }),
      ),
    );
    expect(await channelTicketIds(b, 'webchat/luis')).to.have.members([...first, ...ids]);
  });
});
