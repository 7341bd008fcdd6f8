import { chunkBody } from './chunk.ts';
import type { Article, Chunk } from './types.ts';

/**
 * An article as a served snapshot holds it: everything it was read with, but
 * its chunks keep only their headings. A chunk's text is the body's text
 * section by section, so keeping both held every article's text twice (10 MB
 * of heap at 10k articles, with the chunks' ids); serving reads a chunk's
 * text only on rare paths (the generative fallback's prompt, a classifier
 * retrained after a mismatch), which chunk the body again (`chunkBody`, as
 * parsing did) the first time one of the article's chunks is read.
 */
export function servedArticle(a: Article): Article {
  if (a.chunks.every((c) => c instanceof ServedChunk)) return a;
  return withServedChunks(a, a.chunks.map(storedChunk));
}

/**
 * A chunk as a snapshot's articles.json lists it (format 3): its heading and,
 * when it has no word, `blank`. Its id and text follow from the article (see
 * ServedChunk), so the file no longer repeats the bodies (40 % of it at 10k
 * articles, all parsed and then dropped at every start).
 */
export interface StoredChunk {
  heading: string;
  blank?: true;
}

/** An article as a snapshot's articles.json lists it: formats 1 and 2 with whole chunks, format 3 with stored ones. */
export type StoredArticle = Omit<Article, 'chunks'> & { chunks: (Chunk | StoredChunk)[] };

/** What articles.json lists for `a`: the article, its chunks stored without their texts. */
export function storedArticle(a: Article): StoredArticle {
  return { ...a, chunks: a.chunks.map(storedChunk) };
}

/** An article as read from articles.json: served (chunks read from the body) when stored so, else as listed. */
export function articleFromStore(a: StoredArticle): Article {
  return a.chunks.every((c): c is Chunk => 'text' in c) ? (a as Article) : withServedChunks(a, a.chunks);
}

function storedChunk(c: Chunk): StoredChunk {
  return isBlankChunk(c) ? { heading: c.heading, blank: true } : { heading: c.heading };
}

function withServedChunks(a: Omit<Article, 'chunks'>, chunks: readonly StoredChunk[]): Article {
  const texts = new ChunkTexts(a.id, a.title, a.body);
  return { ...a, chunks: chunks.map((c, k) => new ServedChunk(texts, k, c.heading, c.blank === true)) };
}

/** Is this chunk without a word (heading and text only whitespace)? Read without its text for a served one. */
export function isBlankChunk(c: Chunk): boolean {
  return c instanceof ServedChunk ? c.blank : isBlank(c);
}

function isBlank(c: Chunk): boolean {
  return !/\S/.test(c.heading) && !/\S/.test(c.text);
}

/**
 * Lets go of served articles' bodies, in place: an engine thread's copy of
 * the index (core/answers/threads/), whose engine reads titles, phrasings
 * and canned answers and answers by article id (130 MB of text at 100k
 * articles). A chunk's text asked for afterwards throws, so a path that
 * needed one fails (and the main thread answers) instead of reading nothing.
 */
export function dropBodies(articles: Iterable<Article>): void {
  for (const a of articles) {
    a.body = '';
    for (const c of a.chunks) if (c instanceof ServedChunk) c.dropText();
  }
}

/** An article's chunk texts, chunked again from its body on first use and kept from then on. */
class ChunkTexts {
  private texts: readonly string[] | null = null;
  private dropped = false;
  constructor(
    readonly articleId: string,
    private readonly title: string,
    private body: string,
  ) {}

  of(k: number): string {
    if (this.dropped) throw new Error(`the text of article ${this.articleId} was let go of (dropBodies)`);
    this.texts ??= chunkBody(this.articleId, this.title, this.body).chunks.map((c) => c.text);
    return this.texts[k] ?? '';
  }

  drop(): void {
    this.dropped = true;
    this.body = '';
    this.texts = null;
  }
}

/** A served article's chunk: its heading, and its text when asked for. */
class ServedChunk implements Chunk {
  constructor(
    private readonly texts: ChunkTexts,
    private readonly k: number,
    readonly heading: string,
    readonly blank: boolean,
  ) {}

  get id(): string {
    return `${this.texts.articleId}#${this.k}`;
  }

  get articleId(): string {
    return this.texts.articleId;
  }

  get text(): string {
    return this.texts.of(this.k);
  }

  dropText(): void {
    this.texts.drop();
  }

  /** As a parsed chunk serialises (the getters are not own properties: without this, JSON would drop them). */
  toJSON(): Chunk {
    return { id: this.id, articleId: this.articleId, heading: this.heading, text: this.text };
  }
}
