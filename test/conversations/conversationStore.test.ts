import { expect } from 'chai';
import { ConversationStore } from '../../core/conversations/conversationStore.ts';
import type { DeflectEvent, QuestionEvent } from '../../core/events/types.ts';
import type { EventStore } from '../../core/storage/ports.ts';

const titleOf = (id: string) => `Title of ${id}`;

let seq = 0;
function question(conversationId: string, text: string, at = new Date().toISOString()): QuestionEvent {
  return {
    id: `e${++seq}`,
    at,
    type: 'question',
    conversationId,
    channel: 'widget',
    lang: 'en',
    question: text,
    action: 'answer',
    articleId: 'vpn',
    shown: [{ articleId: 'vpn', confidence: 0.9 }],
    ranked: [{ articleId: 'vpn', confidence: 0.9 }],
    reply: `answer to ${text}`,
  };
}

/**
 * An event log whose replay hands over its events only as the test lets it
 * (`release`), and reads what is appended meanwhile as a real log would: an
 * event appended before the reader reaches the end is read too.
 */
function slowLog(events: DeflectEvent[]) {
  const gates: Array<() => void> = [];
  let failAt: number | null = null;
  const store = {
    async *read(from?: string) {
      for (let i = 0; i < events.length; i++) {
        await new Promise<void>((resolve) => gates.push(resolve));
        if (failAt === i) throw new Error('disk read error');
        if (!from || events[i]!.at >= from) yield events[i]!;
      }
      // The end of the log is reached when the test lets it be, too.
      await new Promise<void>((resolve) => gates.push(resolve));
    },
  } as unknown as EventStore;
  return {
    store,
    append: (e: DeflectEvent) => events.push(e),
    /** Let the replay read `n` more events (the last release lets it find the log's end). */
    async release(n = 1) {
      for (let k = 0; k < n; k++) {
        while (!gates.length) await new Promise((r) => setImmediate(r));
        gates.shift()!();
      }
      await new Promise((r) => setImmediate(r));
    },
    failAt: (i: number) => (failAt = i),
  };
}

/** Whether a promise has settled after the pending callbacks ran. */
async function settled(p: Promise<unknown>): Promise<boolean> {
  let done = false;
  void p.then(
    () => (done = true),
    () => (done = true),
  );
  await new Promise((r) => setImmediate(r));
  return done;
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
    const log = slowLog([question('c1', 'vpn down'), question('c1', 'still down'), question('c2', 'printer')]);
    const store = new ConversationStore();
    const replay = store.restore(log.store, titleOf);
    await log.release(4);
    expect(await replay).to.equal(3);
    const c1 = await store.get('c1');
    expect(texts(c1?.turns)).to.deep.equal(['vpn down', 'still down']);
    expect(c1?.lastQuestion).to.equal('still down');
    expect(c1?.shown).to.deep.equal([{ articleId: 'vpn', confidence: 0.9, title: 'Title of vpn' }]);
    expect(store.size()).to.equal(2);
  });

  it('leaves out events older than the conversations are kept', async () => {
    const old = new Date(Date.now() - 3 * 86_400_000).toISOString();
    const log = slowLog([question('old', 'ancient', old), question('c1', 'recent')]);
    const store = new ConversationStore();
    const replay = store.restore(log.store, titleOf);
    await log.release(3);
    expect(await replay).to.equal(1);
    expect(await store.get('old')).to.equal(undefined);
  });

  it('makes a continued conversation wait for the replay, then gives it every turn', async () => {
    const log = slowLog([question('c1', 'first'), question('c2', 'other'), question('c1', 'second')]);
    const store = new ConversationStore();
    void store.restore(log.store, titleOf);
    await log.release(1);
    const got = store.get('c1');
    const opened = store.open('c1', { channel: 'widget', lang: 'en' });
    expect(await settled(got)).to.equal(false);
    expect(await settled(opened)).to.equal(false);
    await log.release(3);
    expect(texts((await got)?.turns)).to.deep.equal(['first', 'second']);
    expect(await opened).to.equal(await got);
  });

  it('serves a conversation begun during the replay at once, without waiting for it', async () => {
    const log = slowLog([question('c1', 'first'), question('c2', 'other')]);
    const store = new ConversationStore();
    const replay = store.restore(log.store, titleOf);
    const fresh = await store.open(undefined, { channel: 'widget', lang: 'es' });
    const e = question(fresh.id, 'olvidé mi contraseña');
    log.append(e);
    // Folded now, though the replay has read nothing yet.
    await store.apply(e, titleOf);
    expect(texts((await store.get(fresh.id))?.turns)).to.deep.equal(['olvidé mi contraseña']);
    await log.release(4);
    // The replay reads the appended event too, and leaves it to `apply`: one turn, not two.
    expect(await replay).to.equal(2);
    expect(texts((await store.get(fresh.id))?.turns)).to.deep.equal(['olvidé mi contraseña']);
    expect(texts((await store.get('c1'))?.turns)).to.deep.equal(['first']);
  });

  it('folds an event applied during the replay once, after the turns before it, whether the replay read it or not', async () => {
    for (const readFirst of [false, true]) {
      const log = slowLog([question('c1', 'first'), question('c2', 'other')]);
      const store = new ConversationStore();
      void store.restore(log.store, titleOf);
      const e = question('c1', 'a follow-up');
      log.append(e);
      // The replay may read the new event before `apply` is called for it (appended, not yet applied).
      if (readFirst) await log.release(3);
      const applied = store.apply(e, titleOf);
      await log.release(readFirst ? 1 : 4);
      await applied;
      expect(texts((await store.get('c1'))?.turns), `read first: ${readFirst}`).to.deep.equal(['first', 'a follow-up']);
    }
  });

  it('erases personal data of conversations the replay has not reached yet', async () => {
    const ana = { ...question('c1', 'vpn'), user: { id: 'u-ana', email: 'ana@example.com' } };
    const log = slowLog([question('c0', 'hello'), ana]);
    const store = new ConversationStore();
    void store.restore(log.store, titleOf);
    await log.release(1);
    const erased = store.eraseUser((c) => c.user?.id === 'u-ana');
    await log.release(2);
    expect(await erased).to.equal(1);
    expect((await store.get('c1'))?.user).to.equal(undefined);
  });

  it('counts what it has folded so far in size(), for /healthz', async () => {
    const log = slowLog([question('c1', 'a'), question('c2', 'b'), question('c3', 'c')]);
    const store = new ConversationStore();
    void store.restore(log.store, titleOf);
    await log.release(2);
    expect(store.size()).to.equal(2);
    await log.release(2);
    await store.restored();
    expect(store.size()).to.equal(3);
  });

  it('serves what it folded when the replay fails, and no caller waits forever', async () => {
    const log = slowLog([question('c1', 'first'), question('c2', 'second')]);
    log.failAt(1);
    const store = new ConversationStore();
    const replay = store.restore(log.store, titleOf);
    const waiting = store.get('c1');
    await log.release(2);
    let error: Error | undefined;
    await replay.catch((e: Error) => (error = e));
    expect(error?.message).to.equal('disk read error');
    expect(texts((await waiting)?.turns)).to.deep.equal(['first']);
    expect(await store.get('c2')).to.equal(undefined);
    await store.restored();
  });
});
