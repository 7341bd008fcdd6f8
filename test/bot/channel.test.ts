import { expect } from 'chai';
import { channelOf, conversationIdOf, identityOf } from '../../bot/channel.ts';
import { conversationId as apiConversationId } from '../../server/routes/fields.ts';

describe('Bot Framework activity → Deflect', () => {
  for (const { channelId, channel } of [
    { channelId: 'msteams', channel: 'msteams' },
    { channelId: 'emulator', channel: 'emulator' },
    { channelId: 'webchat', channel: 'webchat' },
    { channelId: 'directline', channel: 'api' },
    { channelId: 'slack', channel: 'api' },
  ]) {
    it(`channel "${channelId}" is recorded as ${channel}`, () => {
      expect(channelOf({ channelId })).to.equal(channel);
    });
  }

  describe('conversation id', () => {
    const teams = {
      channelId: 'msteams',
      conversation: { id: '19:3b2f0c7e8a9d4e1f@thread.tacv2;messageid=1712345678901' },
    };

    it('is the same for every turn of a conversation, and accepted by the HTTP API', () => {
      const id = conversationIdOf(teams);
      expect(conversationIdOf({ ...teams, conversation: { ...teams.conversation } })).to.equal(id);
      expect(apiConversationId.safeParse(id).success, id).to.equal(true);
      expect(id).to.match(/^bf-[0-9a-f]{32}$/);
    });

    it('is per person in a group chat or Teams channel, and per conversation in a one-to-one chat', () => {
      const group = { channelId: 'msteams', conversation: { id: '19:room@thread.v2', isGroup: true } };
      const ana = conversationIdOf({ ...group, from: { id: '29:ana', aadObjectId: 'aad-ana' } });
      expect(conversationIdOf({ ...group, from: { id: '29:luis', aadObjectId: 'aad-luis' } })).to.not.equal(ana);
      expect(conversationIdOf({ ...group, from: { id: '29:ana-other-device', aadObjectId: 'aad-ana' } })).to.equal(ana);
      const personal = { channelId: 'msteams', conversation: { id: 'a:1chat' } };
      expect(conversationIdOf({ ...personal, from: { id: '29:ana' } })).to.equal(conversationIdOf(personal));
    });

    it('differs between conversations, and between channels with the same conversation id', () => {
      const ids = new Set([
        conversationIdOf(teams),
        conversationIdOf({ ...teams, conversation: { id: 'a:other' } }),
        conversationIdOf({ ...teams, channelId: 'emulator' }),
      ]);
      expect(ids.size).to.equal(3);
    });
  });

  it("takes Teams' AAD object id over the channel's user id, and the display name", () => {
    expect(
      identityOf({ channelId: 'msteams', from: { id: '29:1abc', name: ' Luis Pérez ', aadObjectId: 'aad-1' } }, false),
    ).to.deep.equal({ id: 'aad-1', name: 'Luis Pérez' });
    expect(identityOf({ channelId: 'emulator', from: { id: 'emulator-user', name: '' } }, false)).to.deep.equal({
      id: 'emulator-user',
    });
  });

  for (const { channelId, aadObjectId, authenticated, verified } of [
    { channelId: 'msteams', aadObjectId: 'aad-1', authenticated: true, verified: true },
    { channelId: 'msteams', aadObjectId: 'aad-1', authenticated: false, verified: false },
    { channelId: 'msteams', aadObjectId: undefined, authenticated: true, verified: false },
    { channelId: 'webchat', aadObjectId: 'aad-1', authenticated: true, verified: false },
  ]) {
    it(`${channelId}${aadObjectId ? ' with an AAD id' : ''}, ${authenticated ? 'authenticated' : 'Emulator mode'} → ${verified ? 'verified' : 'not verified'} user`, () => {
      const identity = identityOf({ channelId, from: { id: 'u', name: 'U', aadObjectId } }, authenticated);
      expect(!!identity.verified).to.equal(verified);
    });
  }
});
