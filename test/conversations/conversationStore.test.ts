import { expect } from 'chai';
import { ConversationStore } from '../../core/conversations/conversationStore.ts';
import type { DeflectEvent, QuestionEvent } from '../../core/events/types.ts';
import type { EventStore } from '../../core/storage/ports.ts';
import { asked } from '../reports/builders.ts';

const titleOf = (id: string) => `Title of ${id}`;

let seq = 0;
/** A question event as the log holds it (builders.ts's, with an id): answered with "vpn", shown and ranked first. */
function question(conversationId: string, text: string, at = new Date().toISOString()): QuestionEvent {
  return {
    id: `e${++seq}`,
    ...asked(at, { conversationId, question: text, articleId: 'vpn', reply: `answer to ${text}` }),
  } as QuestionEvent;
}

/** An event log holding `events`, read as the real one is: those from a time on, oldest first. */
function logOf(events: DeflectEvent[]): EventStore {
  return {
    async *read(from?: string) {
      for (const e of events) if (!from || e.at >= from) yield e;
    },
  } as unknown as EventStore;
}

const texts = (turns: { role: string; text: string }[] | undefined) =>
  (turns ?? []).filter((t) => t.role === 'user').map((t) => t.text);

describe('ConversationStore: what a conversation remembers', () => {
  const shown = (...ids: string[]) => ids.map((articleId) => ({ articleId, confidence: 0.5 }));

  it('keeps every article shown once, in the order first shown, with its title and the verdict given on it', async () => {
    const store = new ConversationStore();
    await store.apply({ ...question('c1', 'vpn'), shown: shown('vpn', 'vpn-mac') }, titleOf);
    await store.apply(
      {
        id: 'f1',
        at: new Date().toISOString(),
        type: 'feedback',
        conversationId: 'c1',
        channel: 'widget',
        lang: 'en',
        articleId: 'vpn-mac',
        helpful: false,
        next: 'suggestions',
        shown: shown('vpn-linux', 'vpn-linux'),
        reply: 'Maybe one of these?',
      },
      titleOf,
    );
    await store.apply({ ...question('c1', 'vpn on linux'), shown: shown('vpn-mac', 'vpn-linux', 'proxy') }, titleOf);
    const c = await store.get('c1');
    expect(c?.shown).to.deep.equal([
      { articleId: 'vpn', confidence: 0.5, title: 'Title of vpn' },
      { articleId: 'vpn-mac', confidence: 0.5, title: 'Title of vpn-mac', helpful: false },
      { articleId: 'vpn-linux', confidence: 0.5, title: 'Title of vpn-linux' },
      { articleId: 'proxy', confidence: 0.5, title: 'Title of proxy' },
    ]);
    expect(texts(c?.turns)).to.deep.equal(['vpn', '👎', 'vpn on linux']);
    expect(c?.lastQuestion).to.equal('vpn on linux');
  });
});

describe('ConversationStore: the replay of recent conversations at start', () => {
  it('continues a conversation from the log after a restart, with its turns and what it showed', async () => {
    const store = new ConversationStore();
    const log = logOf([question('c1', 'vpn down'), question('c1', 'still down'), question('c2', 'printer')]);
    expect(await store.restore(log, titleOf)).to.equal(3);
    const c1 = await store.get('c1');
    expect(texts(c1?.turns)).to.deep.equal(['vpn down', 'still down']);
    expect(c1?.lastQuestion).to.equal('still down');
    expect(c1?.shown).to.deep.equal([{ articleId: 'vpn', confidence: 0.98, title: 'Title of vpn' }]);
    expect(store.size()).to.equal(2);
  });

  it('leaves out events older than the conversations are kept', async () => {
    const old = new Date(Date.now() - 3 * 86_400_000).toISOString();
    const store = new ConversationStore();
    const replayed = await store.restore(logOf([question('old', 'ancient', old), question('c1', 'recent')]), titleOf);
    expect(replayed).to.equal(1);
    expect(await store.get('old')).to.equal(undefined);
    expect(texts((await store.get('c1'))?.turns)).to.deep.equal(['recent']);
  });
});
