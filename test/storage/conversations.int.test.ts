import { expect } from 'chai';
import type { NewEvent } from '../../core/events/types.ts';
import type { Stores } from '../../core/storage/ports.ts';
import { describeStorageContract } from '../helpers/storageBackends.ts';

const titleOf = (id: string) => `Title of ${id}`;

/** What askQuestion does: open, append the event, apply it. */
async function ask(s: Stores, conversationId: string | undefined, text: string): Promise<string> {
  const c = await s.conversations.open(conversationId, { channel: 'widget', lang: 'en', user: { id: 'u-1' } });
  const event: NewEvent = {
    type: 'question',
    conversationId: c.id,
    channel: c.channel,
    lang: 'en',
    user: { id: 'u-1' },
    question: text,
    action: 'clarify',
    shown: [{ articleId: 'a1', confidence: 0.5 }],
    ranked: [
      { articleId: 'a1', confidence: 0.5 },
      { articleId: 'a2', confidence: 0.4 },
    ],
    reply: `reply to ${text}`,
  };
  await s.conversations.apply(await s.events.append(event), titleOf);
  return c.id;
}

describeStorageContract('ConversationRepository', (pair) => {
  beforeEach(async () => {
    for (const s of [pair().a, pair().b]) await s.conversations.restore(s.events, titleOf);
  });

  it('a new conversation exists only once its first event is applied', async () => {
    const c = await pair().a.conversations.open(undefined, { channel: 'widget', lang: 'en' });
    expect(c.turns).to.deep.equal([]);
    expect(await pair().a.conversations.get(c.id)).to.equal(undefined);
  });

  it('a conversation started on one instance continues on the other, every turn in order', async () => {
    const id = await ask(pair().a, undefined, 'first question');
    await ask(pair().b, id, 'second question');
    await ask(pair().a, id, 'third question');
    for (const s of [pair().a, pair().b]) {
      const c = (await s.conversations.get(id))!;
      expect(c.turns.map((t) => t.text)).to.deep.equal([
        'first question',
        'reply to first question',
        'second question',
        'reply to second question',
        'third question',
        'reply to third question',
      ]);
      expect(c).to.deep.include({ lastQuestion: 'third question', lastUnanswered: false, user: { id: 'u-1' } });
      expect(c.shown).to.deep.equal([{ articleId: 'a1', confidence: 0.5, title: 'Title of a1' }]);
      expect(c.lastRanked.map((r) => r.articleId)).to.deep.equal(['a1', 'a2']);
    }
  });

  it('feedback marks the article shown as not helpful, seen from the other instance', async () => {
    const id = await ask(pair().a, undefined, 'question');
    const event = await pair().a.events.append({
      type: 'feedback',
      conversationId: id,
      channel: 'widget',
      lang: 'en',
      articleId: 'a1',
      helpful: false,
      next: 'offer_ticket',
      shown: [],
      reply: 'Shall I open a ticket?',
    });
    await pair().a.conversations.apply(event, titleOf);
    const c = (await pair().b.conversations.get(id))!;
    expect(c.shown[0]).to.include({ articleId: 'a1', helpful: false });
    expect(c.turns.at(-2)!.text).to.equal('👎');
  });

  it('opening a known id returns that conversation', async () => {
    const id = await ask(pair().a, undefined, 'question');
    expect((await pair().b.conversations.open(id, { channel: 'widget', lang: 'en' })).turns).to.have.length(2);
  });
});
