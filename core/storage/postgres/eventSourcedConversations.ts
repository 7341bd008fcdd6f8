import type { Channel, Lang, UserIdentity } from '../../contracts/api.ts';
import { ConversationStore } from '../../conversations/conversationStore.ts';
import type { Conversation } from '../../conversations/types.ts';
import type { DeflectEvent } from '../../events/types.ts';
import type { ConversationRepository, EventStore } from '../ports.ts';

/** How far back a conversation is continued, as the embedded store's replay. */
const TTL_MS = 2 * 86_400_000;

/**
 * Conversations read from the shared event log each time they are needed, so
 * a conversation started on one instance continues on any other with every
 * turn in the order it was appended. The fold is the embedded store's own
 * (one rule, one place); nothing is kept between requests.
 */
export class EventSourcedConversations implements ConversationRepository {
  private titleOf: (articleId: string) => string = (id) => id;

  constructor(private readonly events: { readConversation(id: string, since: string): Promise<DeflectEvent[]> }) {}

  /** Nothing to replay: remember how to name articles in transcripts. */
  async restore(_events: EventStore, titleOf: (articleId: string) => string): Promise<number> {
    this.titleOf = titleOf;
    return 0;
  }

  async get(id: string): Promise<Conversation | undefined> {
    return (await this.load(id)).get(id);
  }

  async open(
    id: string | undefined,
    init: { channel: Channel; lang: Lang; user?: UserIdentity },
  ): Promise<Conversation> {
    return (id ? await this.load(id) : new ConversationStore()).open(id, init);
  }

  /** The event is in the shared log already: the next read folds it in. */
  async apply(): Promise<void> {}

  /** Nothing is held apart from the event log, which the erasure rewrites. */
  async eraseUser(): Promise<number> {
    return 0;
  }

  size(): number | null {
    return null;
  }

  private async load(id: string): Promise<ConversationStore> {
    const store = new ConversationStore();
    for (const e of await this.events.readConversation(id, new Date(Date.now() - TTL_MS).toISOString()))
      await store.apply(e, this.titleOf);
    return store;
  }
}
