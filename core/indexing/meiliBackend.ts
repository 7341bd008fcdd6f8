import { Meilisearch } from 'meilisearch';
import type { MeiliConfig } from '../config/search.ts';
import { log } from '../logger.ts';
import { MeiliFullTextIndex } from '../search/meiliFullTextIndex.ts';
import type { Embedder } from '../search/ports.ts';
import { QueryVectorCache } from '../search/meiliQueryCache.ts';
import { ResilientFullTextIndex, SearchHealth } from '../search/resilientFullTextIndex.ts';
import type { KbIndex } from './kbIndex.ts';
import { meiliPayloadOf, publishToMeili } from './publishMeili.ts';

/**
 * The server's Meilisearch: connects with a search-only key, keeps the
 * Meilisearch index in line with the served KB when it holds the admin key,
 * and wraps every served index so that searches go to Meilisearch and fall
 * back to the in-process index when it is down or slow.
 */
export class MeiliBackend {
  readonly health: SearchHealth;
  private search: MeiliFullTextIndex | null = null;
  private readonly admin: Meilisearch | null;
  private readonly embedder: Embedder;
  private served: KbIndex | null = null;
  private syncedRev: string | null = null;

  constructor(
    private readonly config: MeiliConfig,
    embedder: Embedder,
  ) {
    this.admin = config.adminKey
      ? new Meilisearch({ host: config.host, apiKey: config.adminKey, timeout: config.timeoutMs * 4 })
      : null;
    // Hybrid search embeds each question twice (our kNN and Meilisearch's); the cache makes that one model call.
    this.embedder = config.hybrid ? new QueryVectorCache(embedder) : embedder;
    this.health = new SearchHealth('meilisearch', 'in-process', () => this.connect(), config.retryMs);
  }

  /** Connect (and catch up) now; when Meilisearch is down, start degraded and keep trying in the background. */
  async start(index: KbIndex): Promise<void> {
    this.served = index;
    try {
      await this.connect();
    } catch (error) {
      this.health.failed(error);
    }
  }

  /** The index as served: same articles and vectors, full-text through Meilisearch with the local index behind it. */
  wrap(index: KbIndex): KbIndex {
    this.served = index;
    // A snapshot published by the indexer was pushed by it too; a server holding the admin key checks on its next probe.
    return {
      ...index,
      embedder: this.embedder,
      fullText: new ResilientFullTextIndex(() => this.search, index.fullText, this.health, this.config.timeoutMs),
    };
  }

  close(): void {
    this.health.close();
  }

  /** Resolve the search key, bring Meilisearch up to date with the served KB, then prove a search works. */
  private async connect(): Promise<void> {
    if (!this.search) {
      const apiKey = await this.searchKey();
      const client = new Meilisearch({ host: this.config.host, apiKey, timeout: this.config.timeoutMs });
      this.search = new MeiliFullTextIndex(client, {
        index: this.config.index,
        ...(this.config.hybrid
          ? { hybrid: { embedder: this.embedder, semanticRatio: this.config.semanticRatio } }
          : {}),
      });
    }
    const served = this.served;
    if (this.admin && served) {
      const rev = `${served.manifest.createdAt}:${served.articles.size}`;
      const stats = await this.admin
        .index(this.config.index)
        .getStats()
        .catch(() => null);
      // Catch up when we never did for this snapshot, or when Meilisearch lost documents (a fresh container).
      if (this.syncedRev !== rev || stats?.numberOfDocuments !== served.articles.size) {
        const { docs, settings } = await meiliPayloadOf(served, { hybrid: this.config.hybrid });
        const summary = await publishToMeili(this.admin, docs, settings, {
          index: this.config.index,
          taskTimeoutMs: this.config.taskTimeoutMs,
        });
        this.syncedRev = rev;
        log.info('meili', 'Meilisearch is in line with the KB', { index: this.config.index, ...summary });
      }
    }
    const probe = AbortSignal.timeout(this.config.timeoutMs);
    await this.search.probe(probe);
    this.search.setCount(served?.articles.size ?? 0);
  }

  /**
   * Queries only ever use a search-only key: MEILI_SEARCH_KEY, else one found
   * or created (scoped to our index) with the admin key. Without either key,
   * Meilisearch runs without a master key and needs none.
   */
  private async searchKey(): Promise<string | undefined> {
    if (this.config.searchKey) return this.config.searchKey;
    if (!this.admin) return undefined;
    const { results } = await this.admin.getKeys({ limit: 1000 });
    const usable = results.find(
      (k) =>
        k.actions.length === 1 &&
        k.actions[0] === 'search' &&
        (k.indexes.includes('*') || k.indexes.includes(this.config.index)) &&
        (!k.expiresAt || new Date(k.expiresAt).getTime() > Date.now()),
    );
    if (usable) return usable.key;
    const created = await this.admin.createKey({
      name: `Deflect search (${this.config.index})`,
      description: 'Search-only key used by the Deflect server',
      actions: ['search'],
      indexes: [this.config.index],
      expiresAt: null,
    });
    log.info('meili', 'created a search-only key for queries', { index: this.config.index, keyName: created.name });
    return created.key;
  }
}

/** What createCore needs: wrap each served index, and stop probing on close. Without MEILI_HOST, indexes pass through unchanged. */
export async function openSearchBackend(
  config: MeiliConfig | undefined,
  embedder: Embedder,
  index: KbIndex,
): Promise<{ wrap: (index: KbIndex) => KbIndex; close: () => void }> {
  if (!config) return { wrap: (i) => i, close: () => undefined };
  const backend = new MeiliBackend(config, embedder);
  await backend.start(index);
  return { wrap: (i) => backend.wrap(i), close: () => backend.close() };
}
