import type { Meilisearch, SearchParams } from 'meilisearch';
import type { Lang } from '../contracts/api.ts';
import { SUPPORTED_LANGS, terms } from '../text/analyze.ts';
import { meiliFilter, MEILI_EMBEDDER, SUGGEST_ATTRIBUTES } from './meiliDocuments.ts';
import type { Embedder, FullTextHit, FullTextIndex, SearchFilter } from './ports.ts';

/**
 * Meilisearch's relevance is a ranking score in 0..1; retrieval saturates
 * full-text scores as s / (s + 8) (BM25_SATURATION in core/answers/pipeline/retrieve.ts).
 * Mapping r to 8r / (1 − r) makes that saturated feature equal r itself.
 */
const SATURATION = 8;
const MAX_RANKING_SCORE = 0.995;

export interface MeiliSearchOptions {
  index: string;
  /** Hybrid search with our own vectors: the embedder for query vectors and the keyword/vector balance. */
  hybrid?: { embedder: Embedder; semanticRatio: number };
}

/**
 * The Meilisearch adapter of the FullTextIndex port. It only searches, with
 * a search-only key; documents and settings are pushed by publishToMeili.
 * Timeouts and fallback are the ResilientFullTextIndex's job.
 */
export class MeiliFullTextIndex implements FullTextIndex {
  readonly kind = 'meilisearch';
  private documents = 0;

  constructor(
    private readonly client: Meilisearch,
    private readonly options: MeiliSearchOptions,
  ) {}

  /** The port's count is synchronous: the last number of documents seen (see refreshCount). */
  count(): number {
    return this.documents;
  }

  setCount(n: number): void {
    this.documents = n;
  }

  async search(
    query: string,
    opts: { lang: Lang; filter?: SearchFilter; limit: number; synonyms?: boolean; signal?: AbortSignal },
  ): Promise<FullTextHit[]> {
    // A question with no searchable word would be a placeholder search, which returns every article: the in-process index returns nothing, so do we.
    if (!SUPPORTED_LANGS.some((lang) => terms(query, lang).length)) return [];
    const params: SearchParams = {
      limit: opts.limit,
      filter: meiliFilter(opts.filter),
      attributesToRetrieve: ['articleId'],
      showRankingScore: true,
      matchingStrategy: 'frequency',
      locales: [opts.lang === 'es' ? 'spa' : 'eng'],
    };
    const hybrid = this.options.hybrid;
    if (hybrid) {
      const [vector] = await hybrid.embedder.embed([query], 'query', opts.lang);
      params.vector = Array.from(vector!);
      params.hybrid = { embedder: MEILI_EMBEDDER, semanticRatio: hybrid.semanticRatio };
    }
    const res = await this.client
      .index(this.options.index)
      .search<{ articleId: string }>(query, params, { signal: opts.signal });
    return res.hits.map((h) => ({ id: h.articleId, score: toScore(h._rankingScore ?? 0), matched: [] }));
  }

  async suggest(
    prefix: string,
    opts: { lang?: Lang; filter?: SearchFilter; limit: number; signal?: AbortSignal },
  ): Promise<FullTextHit[]> {
    if (!prefix.trim()) return [];
    const res = await this.client.index(this.options.index).search<{ articleId: string }>(
      prefix,
      {
        limit: opts.limit,
        filter: meiliFilter(opts.filter, opts.lang),
        attributesToRetrieve: ['articleId'],
        attributesToSearchOn: SUGGEST_ATTRIBUTES,
        showRankingScore: true,
        matchingStrategy: 'all',
        ...(opts.lang ? { locales: [opts.lang === 'es' ? 'spa' : 'eng'] } : {}),
      },
      { signal: opts.signal },
    );
    return res.hits.map((h) => ({ id: h.articleId, score: toScore(h._rankingScore ?? 0), matched: [] }));
  }

  /** A cheap query that proves the index is there and answering. */
  async probe(signal?: AbortSignal): Promise<void> {
    await this.client.index(this.options.index).search('', { limit: 0 }, { signal });
  }
}

function toScore(r: number): number {
  const x = Math.min(Math.max(r, 0), MAX_RANKING_SCORE);
  return (SATURATION * x) / (1 - x);
}
