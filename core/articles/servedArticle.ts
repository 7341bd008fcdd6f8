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
  const texts = new ChunkTexts(a.id, a.title, a.body);
  return { ...a, chunks: a.chunks.map((c, k) => new ServedChunk(texts, k, c.heading, isBlank(c))) };
}

/** Is this chunk without a word (heading and text only whitespace)? Read without its text for a served one. */
export function isBlankChunk(c: Chunk): boolean {
  return c instanceof ServedChunk ? c.blank : isBlank(c);
}

function isBlank(c: Chunk): boolean {
  return !/\S/.test(c.heading) && !/\S/.test(c.text);
}

/** An article's chunk texts, chunked again from its body on first use and kept from then on. */
class ChunkTexts {
  private texts: readonly string[] | null = null;
  constructor(
    readonly articleId: string,
    private readonly title: string,
    private readonly body: string,
  ) {}

  of(k: number): string {
    this.texts ??= chunkBody(this.articleId, this.title, this.body).chunks.map((c) => c.text);
    return this.texts[k] ?? '';
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

  /** As articles.json lists a chunk (the getters are not own properties: without this, JSON would drop them). */
  toJSON(): Chunk {
    return { id: this.id, articleId: this.articleId, heading: this.heading, text: this.text };
  }
}
