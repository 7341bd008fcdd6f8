import type { Lang } from '../contracts/api.ts';
import { log } from '../logger.ts';
import type { FullTextHit, FullTextIndex, SearchFilter } from './ports.ts';

/** What /healthz says about a remote search engine. */
export interface SearchHealthReport {
  engine: string;
  state: 'ok' | 'degraded';
  /** Set while degraded: who answers instead, since when, and why (no secrets: error names and codes only). */
  fallback?: string;
  since?: string;
  reason?: string;
}

/** A primary engine whose calls can be cut short. */
export interface AbortableFullTextIndex extends FullTextIndex {
  search(
    query: string,
    options: { lang: Lang; filter?: SearchFilter; limit: number; synonyms?: boolean; signal?: AbortSignal },
  ): Promise<FullTextHit[]>;
  suggest(
    prefix: string,
    options: { lang?: Lang; filter?: SearchFilter; limit: number; signal?: AbortSignal },
  ): Promise<FullTextHit[]>;
}

/**
 * Up or down, shared by every index snapshot served (a new snapshot must not
 * forget that the engine is down). On the first failure it turns degraded and
 * probes in the background every `retryMs`; while degraded no request waits on
 * the engine. A successful probe turns it healthy again, without a restart.
 */
export class SearchHealth {
  private state: 'ok' | 'degraded' = 'ok';
  private since?: string;
  private reason?: string;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    readonly engine: string,
    private readonly fallback: string,
    /** Resolves when the engine answers again (and has caught up); rejects otherwise. */
    private readonly probe: () => Promise<void>,
    private readonly retryMs: number,
  ) {}

  get ok(): boolean {
    return this.state === 'ok';
  }

  report(): SearchHealthReport {
    return this.ok
      ? { engine: this.engine, state: 'ok' }
      : { engine: this.engine, state: 'degraded', fallback: this.fallback, since: this.since, reason: this.reason };
  }

  /** Mark the engine down (idempotent) and start probing. */
  failed(error: unknown): void {
    const reason = describe(error);
    if (this.ok) {
      this.state = 'degraded';
      this.since = new Date().toISOString();
      log.warn('search', `${this.engine} is unavailable; answering from the ${this.fallback} index`, { reason });
    }
    this.reason = reason;
    this.schedule();
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(): void {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => {
      void this.probe().then(
        () => {
          this.timer = null;
          if (this.closed || this.ok) return;
          log.info('search', `${this.engine} is back; using it again`, { degradedSince: this.since });
          this.state = 'ok';
          this.since = this.reason = undefined;
        },
        (error: unknown) => {
          this.timer = null;
          this.reason = describe(error);
          this.schedule();
        },
      );
    }, this.retryMs);
    this.timer.unref();
  }
}

/**
 * A remote full-text engine with the in-process index behind it: each call
 * gets `timeoutMs`; a failure or timeout answers that same request from the
 * fallback and marks the engine degraded, so no request fails because the
 * engine is down or slow.
 */
export class ResilientFullTextIndex implements FullTextIndex {
  readonly kind: string;

  constructor(
    private readonly primary: () => AbortableFullTextIndex | null,
    /** The in-process index behind it (/healthz says whether it is loaded). */
    readonly fallback: FullTextIndex,
    readonly health: SearchHealth,
    private readonly timeoutMs: number,
  ) {
    this.kind = health.engine;
  }

  count(): number {
    const p = this.primary();
    return this.health.ok && p ? p.count() : this.fallback.count();
  }

  search(
    query: string,
    options: { lang: Lang; filter?: SearchFilter; limit: number; synonyms?: boolean },
  ): Promise<FullTextHit[]> {
    return this.call(
      (p, signal) => p.search(query, { ...options, signal }),
      () => this.fallback.search(query, options),
    );
  }

  suggest(prefix: string, options: { lang?: Lang; filter?: SearchFilter; limit: number }): Promise<FullTextHit[]> {
    return this.call(
      (p, signal) => p.suggest(prefix, { ...options, signal }),
      () => this.fallback.suggest(prefix, options),
    );
  }

  private async call(
    remote: (p: AbortableFullTextIndex, signal: AbortSignal) => Promise<FullTextHit[]>,
    local: () => Promise<FullTextHit[]>,
  ): Promise<FullTextHit[]> {
    const p = this.primary();
    if (!p || !this.health.ok) return local();
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(Object.assign(new Error(`no answer within ${this.timeoutMs} ms`), { name: 'TimeoutError' }));
      }, this.timeoutMs);
    });
    try {
      return await Promise.race([remote(p, controller.signal), timeout]);
    } catch (error) {
      this.health.failed(error);
      return local();
    } finally {
      clearTimeout(timer);
    }
  }
}

/** A short, secret-free account of a failure: error name, Meilisearch code or HTTP status, message. */
export function describe(error: unknown): string {
  const e = error as { name?: string; message?: string; cause?: { code?: string }; response?: { status?: number } };
  const code = e?.cause?.code ?? (e?.response?.status ? `HTTP ${e.response.status}` : undefined);
  return [e?.name ?? 'Error', code, e?.message?.split('\n')[0]?.slice(0, 200)].filter(Boolean).join(': ');
}
