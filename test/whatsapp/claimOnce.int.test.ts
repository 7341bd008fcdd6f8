import { expect } from 'chai';
import { claimMessage, readConversation, writeConversation } from '../../core/whatsapp/channelState.ts';
import { ETagConflictError } from '../../core/storage/keyValueStore.ts';
import { describeStorageContract } from '../helpers/storageBackends.ts';

describeStorageContract('WhatsApp channel state (messages claimed once, conversations)', (pair) => {
  const stores = async () => ({ a: await pair().a.channelState(), b: await pair().b.channelState() });
  const now = new Date('2026-03-01T10:00:00Z');

  it('a message id is claimed once: again on the same instance or on another, it is refused', async () => {
    const { a, b } = await stores();
    expect(await claimMessage(a, 'wamid.1', now)).to.equal(true);
    expect(await claimMessage(a, 'wamid.1', now)).to.equal(false);
    expect(await claimMessage(b, 'wamid.1', now)).to.equal(false);
    expect(await claimMessage(b, 'wamid.2', now)).to.equal(true);
  });

  it('of two instances claiming the same message at the same moment exactly one wins', async () => {
    const { a, b } = await stores();
    for (let i = 0; i < 10; i++) {
      const id = `wamid.race${i}`;
      const results = await Promise.all([claimMessage(a, id, now), claimMessage(b, id, now)]);
      expect(results.filter(Boolean), id).to.have.length(1);
    }
  });

  it('a conversation is read back on either instance; a write from a stale read is refused', async () => {
    const { a, b } = await stores();
    const first = await readConversation(a, '34600111222');
    expect(first).to.deep.equal({ conversation: { userId: '34600111222' } });
    await writeConversation(a, { ...first.conversation, lang: 'es', lastInboundAt: now.toISOString() }, first.eTag);
    const read = await readConversation(b, '34600111222');
    expect(read.conversation).to.deep.equal({ userId: '34600111222', lang: 'es', lastInboundAt: now.toISOString() });
    // Another instance created it meanwhile: a writer that read nothing cannot overwrite it.
    const error = await writeConversation(b, { userId: '34600111222' }, undefined).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(ETagConflictError);
    await writeConversation(b, { ...read.conversation, lang: 'en' }, read.eTag);
    const stale = await writeConversation(a, { userId: '34600111222' }, read.eTag).catch((e: unknown) => e);
    expect(stale).to.be.instanceOf(ETagConflictError);
    expect((await readConversation(a, '34600111222')).conversation.lang).to.equal('en');
  });
});
