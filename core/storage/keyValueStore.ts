import path from 'node:path';
import { Low } from 'lowdb';
import { DeflectError } from '../errors.ts';
import { DurableJsonFile } from './durableJsonFile.ts';
import type { KeyValueChange, KeyValueRepository } from './ports.ts';

export type { KeyValueChange } from './ports.ts';

/** A write expected a version (eTag) that another write has replaced. */
export class ETagConflictError extends DeflectError {
  override name = 'ETagConflictError';
  constructor(key: string) {
    super('conflict', `'${key}' was changed by another writer`, { key });
  }
}

interface Entry<T> {
  value: T;
  eTag: string;
  updatedAt: string;
}

interface KeyValueData<T> {
  seq: number;
  entries: [string, Entry<T>][];
}

/**
 * Small durable key-value records with optimistic concurrency (eTags), for
 * state a channel keeps between turns (the bot's conversation state). The
 * whole map lives in memory and is written through a durable JSON file, so
 * an acknowledged write survives a crash; entries idle longer than the TTL
 * are dropped when the store opens.
 */
export class KeyValueStore<T> implements KeyValueRepository<T> {
  /** The channels' state in a data directory (the bot's ConversationState/UserState). */
  static openChannelState(dataDir: string, ttlDays: number): Promise<KeyValueStore<Record<string, unknown>>> {
    return KeyValueStore.open(path.join(dataDir, 'bot-state.json'), { ttlDays });
  }

  private constructor(
    private readonly db: Low<KeyValueData<T>>,
    private readonly map: Map<string, Entry<T>>,
  ) {}

  static async open<T>(file: string, options: { ttlDays: number }): Promise<KeyValueStore<T>> {
    const db = new Low<KeyValueData<T>>(new DurableJsonFile<KeyValueData<T>>(file), { seq: 0, entries: [] });
    await db.read();
    const cutoff = new Date(Date.now() - options.ttlDays * 86_400_000).toISOString();
    // A Map, not an object: keys come from channels and must not reach Object.prototype.
    const map = new Map(db.data.entries.filter(([, e]) => e.updatedAt >= cutoff));
    return new KeyValueStore(db, map);
  }

  async get(key: string): Promise<{ value: T; eTag: string } | undefined> {
    const e = this.map.get(key);
    return e ? { value: structuredClone(e.value), eTag: e.eTag } : undefined;
  }

  /** Write all changes or none; resolves with the new eTags once on disk. */
  async put(changes: KeyValueChange<T>[]): Promise<Record<string, string>> {
    for (const c of changes) {
      const current = this.map.get(c.key);
      // An entry that does not exist (yet, or any more) accepts any write, as botbuilder's MemoryStorage does.
      if (current && c.ifMatch && c.ifMatch !== '*' && c.ifMatch !== current.eTag) throw new ETagConflictError(c.key);
    }
    const now = new Date().toISOString();
    const before = changes.map((c) => [c.key, this.map.get(c.key)] as const);
    const eTags: Record<string, string> = {};
    for (const c of changes) {
      const eTag = String(++this.db.data.seq);
      this.map.set(c.key, { value: structuredClone(c.value), eTag, updatedAt: now });
      eTags[c.key] = eTag;
    }
    await this.persist(() => {
      for (const [key, old] of before) {
        if (this.map.get(key)?.eTag !== eTags[key]) continue;
        if (old) this.map.set(key, old);
        else this.map.delete(key);
      }
    });
    return eTags;
  }

  async delete(keys: string[]): Promise<void> {
    const removed = keys.flatMap((k) => {
      const e = this.map.get(k);
      return e && this.map.delete(k) ? [[k, e] as const] : [];
    });
    if (!removed.length) return;
    await this.persist(() => {
      for (const [k, e] of removed) if (!this.map.has(k)) this.map.set(k, e);
    });
  }

  /** Delete every entry the predicate matches (a person's data on an erasure request); resolves with how many once on disk. */
  async eraseWhere(match: (key: string, value: T) => boolean): Promise<number> {
    const keys = [...this.map].filter(([key, e]) => match(key, e.value)).map(([key]) => key);
    await this.delete(keys);
    return keys.length;
  }

  /** Every live entry with its last change (moving the state to another store keeps its age, so the TTL still applies). */
  entries(): { key: string; value: T; updatedAt: string }[] {
    return [...this.map].map(([key, e]) => ({ key, value: structuredClone(e.value), updatedAt: e.updatedAt }));
  }

  size(): number {
    return this.map.size;
  }

  /** Write the map; on failure undo this change so memory matches disk. */
  private async persist(undo: () => void): Promise<void> {
    this.db.data.entries = [...this.map];
    try {
      await this.db.write();
    } catch (error) {
      undo();
      this.db.data.entries = [...this.map];
      throw error;
    }
  }
}
