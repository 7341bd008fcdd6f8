import type { Storage, StoreItem, StoreItems } from 'botbuilder';
import type { KeyValueRepository } from '../core/storage/ports.ts';

/**
 * botbuilder's Storage over our durable key-value store, so ConversationState
 * and UserState survive a restart. eTags follow botbuilder's MemoryStorage:
 * '*' or none overwrites, a stale one is refused. The store is opened on first
 * use, so a server whose bot is never called never creates the file.
 */
export class StateStorage implements Storage {
  private store?: Promise<KeyValueRepository<StoreItem>>;

  constructor(private readonly open: () => Promise<KeyValueRepository<StoreItem>>) {}

  async read(keys: string[]): Promise<StoreItems> {
    const store = await this.opened();
    // No prototype: a key such as "__proto__" (keys embed channel-supplied ids) stays a plain key.
    const items: StoreItems = Object.create(null);
    for (const key of keys) {
      const entry = await store.get(key);
      if (entry) items[key] = { ...entry.value, eTag: entry.eTag };
    }
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    if (!changes) throw new ReferenceError('Changes are required when writing.');
    const store = await this.opened();
    await store.put(
      Object.entries(changes).map(([key, item]) => {
        const { eTag, ...value } = (item ?? {}) as StoreItem;
        return { key, value, ifMatch: eTag };
      }),
    );
  }

  async delete(keys: string[]): Promise<void> {
    await (await this.opened()).delete(keys);
  }

  private opened(): Promise<KeyValueRepository<StoreItem>> {
    // A failed open is retried on the next turn rather than remembered.
    this.store ??= this.open().catch((error: unknown) => {
      this.store = undefined;
      throw error;
    });
    return this.store;
  }
}
