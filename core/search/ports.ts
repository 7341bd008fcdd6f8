import type { Lang } from '../contracts/api.ts';
import type { ArticleStatus, Audience } from '../articles/types.ts';

/**
 * The engines behind search, as ports. The answer engine only talks to these;
 * adapters (in-process MiniSearch, Meilisearch, hnswlib, embedders, GloVe word vectors) live
 * beside them and are chosen by configuration.
 */

/** What the full-text index stores for one article. */
export interface SearchDocument {
  id: string;
  lang: Lang;
  title: string;
  questions: string[];
  headings: string[];
  body: string;
  tags: string[];
  category?: string;
  status: ArticleStatus;
  audience: Audience;
}

export interface SearchFilter {
  langs?: Lang[];
  tags?: string[];
  audiences?: Audience[];
  /** Drafts are never searchable by users; set false for agents' tools only. */
  publishedOnly?: boolean;
  /** Leave these articles out (used when calibrating on the KB's own questions). */
  excludeIds?: ReadonlySet<string>;
}

export interface FullTextHit {
  id: string;
  score: number;
  /** Query terms (analysed) that matched this article. */
  matched: string[];
}

export interface FullTextIndex {
  readonly kind: string;
  search(
    query: string,
    options: { lang: Lang; filter?: SearchFilter; limit: number; synonyms?: boolean },
  ): Promise<FullTextHit[]>;
  /** Short autocomplete-style search for titles while a user types. */
  suggest(prefix: string, options: { lang?: Lang; filter?: SearchFilter; limit: number }): Promise<FullTextHit[]>;
  count(): number;
}

/** A vector in the store: a question, a title or a chunk of one article. */
export interface VectorItem {
  /** Position in the store; stable within one snapshot. */
  label: number;
  articleId: string;
  kind: 'title' | 'question' | 'chunk';
  text: string;
}

export interface VectorHit {
  item: VectorItem;
  /** Cosine similarity, -1..1. */
  similarity: number;
}

export interface VectorIndex {
  readonly kind: string;
  readonly dimensions: number;
  search(vector: Float32Array, k: number, filter?: (item: VectorItem) => boolean): VectorHit[];
  size(): number;
}

export interface Embedder {
  /** Names the model and its settings; vectors from different ids never mix. */
  readonly id: string;
  readonly dimensions: number;
  /**
   * Its query vectors have few non-zero dimensions (the hashing trick: a
   * median 44 of 1,024): an exact scan of the vectors then costs less than a
   * graph (see vectorIndexKindFor).
   */
  readonly sparseQueries?: boolean;
  embed(texts: string[], kind: 'query' | 'passage', lang?: Lang): Promise<Float32Array[]>;
}

/**
 * Pre-trained word vectors (port): what a word means, learnt from a large
 * corpus rather than from the KB. The lexical model knows spelling only;
 * with these it also relates "booking" to "reservation" and "furry
 * companions" to "pets". One language: other languages' text gets none.
 */
export interface WordVectors {
  /** Names the source and its version; a classifier trained with other vectors is retrained. */
  readonly id: string;
  readonly lang: Lang;
  readonly dimensions: number;
  /** Unit-length vector of a folded word, or null when the source does not know it. */
  vector(word: string): Float32Array | null;
  /**
   * How much the word says, 0..1, from its corpus frequency (smooth inverse
   * frequency: a / (a + p(word))): "the" ≈ 0, rare words ≈ 1.
   */
  weight(word: string): number;
}
