import type { Lang } from '../contracts/api.ts';
import type { Embedder } from './ports.ts';

const SIZE = 256;

/**
 * An embedder that remembers the vectors of recent questions. With hybrid
 * search a question is embedded for our own kNN and again for Meilisearch;
 * both ask through this, so the model is called once.
 */
export class QueryVectorCache implements Embedder {
  private readonly recent = new Map<string, Promise<Float32Array>>();

  constructor(private readonly inner: Embedder) {}

  get id(): string {
    return this.inner.id;
  }

  get dimensions(): number {
    return this.inner.dimensions;
  }

  get sparseQueries(): boolean {
    return this.inner.sparseQueries ?? false;
  }

  async embed(texts: string[], kind: 'query' | 'passage', lang?: Lang): Promise<Float32Array[]> {
    if (kind !== 'query' || texts.length !== 1) return this.inner.embed(texts, kind, lang);
    const key = `${lang ?? ''}\u0000${texts[0]}`;
    let hit = this.recent.get(key);
    if (!hit) {
      hit = this.inner.embed(texts, kind, lang).then(([v]) => v!);
      hit.catch(() => this.recent.delete(key));
      this.recent.set(key, hit);
      if (this.recent.size > SIZE) this.recent.delete(this.recent.keys().next().value!);
    }
    return [await hit];
  }
}
