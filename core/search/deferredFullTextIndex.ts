import type { Lang } from '../contracts/api.ts';
import { UnavailableError } from '../errors.ts';
import { log } from '../logger.ts';
import type { MiniSearchIndex } from './miniSearchIndex.ts';
import type { FullTextHit, FullTextIndex, SearchDocument, SearchFilter } from './ports.ts';

/** Where a deferred full-text index stands: what /healthz reports. */
export type FullTextLoadState = 'waiting' | 'loading' | 'ready' | 'rebuilding' | 'rebuilt' | 'failed';

/** How a deferred index gets its engine: read from the snapshot, else rebuilt from the articles. */
export interface FullTextSource {
  /** Read the stored index (fulltext.json); rejects when the file is missing or unreadable. */
  read(): Promise<MiniSearchIndex>;
  /** Build it again from the articles: what the build wrote, so the same hits. */
  rebuild(): Promise<MiniSearchIndex>;
  /** Names the snapshot in logs. */
  snapshot: string;
}

/**
 * The in-process full-text index, loaded after the server is ready. Only
 * /api/search reads it (the answer engine never does), and reading it is
 * half a second of the start at 10k articles, so the server starts without
 * it: the first search starts `load()` and waits for it, and the server
 * starts it anyway a few seconds after it listens (server/main.ts). A stored file that does not
 * read is rebuilt from the articles, as a start would have done, with a
 * warning: the hits are the same, only later. Watch mode's deltas that
 * arrive before it is loaded are applied, in order, once it is.
 */
export class DeferredFullTextIndex implements FullTextIndex {
  readonly kind = 'minisearch';
  private engine: MiniSearchIndex | null = null;
  private loading: Promise<MiniSearchIndex> | null = null;
  private current: FullTextLoadState = 'waiting';
  private readonly queued: { docs: readonly SearchDocument[]; removed: string[] }[] = [];
  /** Dropped once loaded: it holds the snapshot's articles array, only needed for a rebuild. */
  private source: FullTextSource | null;
  private markSettled!: () => void;
  private readonly settledOnce = new Promise<void>((resolve) => (this.markSettled = resolve));

  constructor(
    source: FullTextSource,
    /** What count() says until it is loaded: the snapshot's article count. */
    private readonly expectedCount: number,
  ) {
    this.source = source;
  }

  /** Start loading (idempotent); resolves with the loaded engine, or rejects with UnavailableError when even the rebuild failed. */
  load(): Promise<MiniSearchIndex> {
    this.loading ??= this.open().then((engine) => {
      for (const { docs, removed } of this.queued.splice(0)) engine.applyDelta(docs, removed);
      this.engine = engine;
      return engine;
    });
    this.loading.then(this.markSettled, this.markSettled);
    return this.loading;
  }

  /** Resolves once a load, whoever started it, has finished (loaded, rebuilt or failed); starts none. */
  settled(): Promise<void> {
    return this.settledOnce;
  }

  /** Start loading in the background: a failure is logged by the load and answered to each search. */
  start(): void {
    this.load().catch(() => undefined);
  }

  state(): FullTextLoadState {
    return this.current;
  }

  count(): number {
    return this.engine?.count() ?? this.expectedCount;
  }

  async search(
    query: string,
    options: { lang: Lang; filter?: SearchFilter; limit: number; synonyms?: boolean },
  ): Promise<FullTextHit[]> {
    return (await this.load()).search(query, options);
  }

  async suggest(
    prefix: string,
    options: { lang?: Lang; filter?: SearchFilter; limit: number },
  ): Promise<FullTextHit[]> {
    return (await this.load()).suggest(prefix, options);
  }

  /** Watch mode's delta (core/indexing/applyDelta.ts): in place once loaded, else kept for when it is. */
  applyDelta(docs: readonly SearchDocument[], removed: Iterable<string>): void {
    if (this.engine) this.engine.applyDelta(docs, removed);
    else this.queued.push({ docs, removed: [...removed] });
  }

  private async open(): Promise<MiniSearchIndex> {
    const source = this.source!;
    this.source = null;
    const started = performance.now();
    this.current = 'loading';
    try {
      const engine = await source.read();
      this.current = 'ready';
      log.info('index', 'full-text index loaded', {
        snapshot: source.snapshot,
        ms: Math.round(performance.now() - started),
      });
      return engine;
    } catch (error) {
      this.current = 'rebuilding';
      log.warn('index', 'the full-text index of the snapshot is unreadable; rebuilding it from the articles', {
        snapshot: source.snapshot,
        error: (error as Error).message,
        hint: 'searches wait for it; `npm run index -- --rebuild` writes the file again',
      });
    }
    try {
      const engine = await source.rebuild();
      this.current = 'rebuilt';
      log.info('index', 'full-text index rebuilt from the articles', {
        snapshot: source.snapshot,
        ms: Math.round(performance.now() - started),
      });
      return engine;
    } catch (error) {
      this.current = 'failed';
      log.error('index', 'the full-text index could not be rebuilt; searches fail until the next snapshot', {
        snapshot: source.snapshot,
        error: (error as Error).message,
      });
      throw new UnavailableError('the search index is unavailable', { cause: error });
    }
  }
}
