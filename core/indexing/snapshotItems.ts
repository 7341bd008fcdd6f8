import { arrayOf, decodeBundle, encodeBundle } from '../answers/codecs/typedBundle.ts';
import type { VectorItem } from '../search/ports.ts';

/** A vector item as a snapshot lists it: the content hash of its article beside it, for the next build's reuse. */
export type SnapshotItem = VectorItem & { hash: string };

/**
 * The snapshot's vector items as a typed bundle (items.bin): each item's
 * article (its number in articles.json) and kind, and nothing else. Serving
 * needs no more to map a graph label to its article; items.json, which also
 * holds every item's text and hash, took half a second of CPU and some 40 MB
 * of heap to parse at 10k articles (70,000 items) and is read only by builds
 * and, on first use, by the rare path that needs a text.
 */
const VERSION = 1;
const KINDS: readonly VectorItem['kind'][] = ['title', 'question', 'chunk'];

export function encodeItems(items: readonly VectorItem[], articles: readonly { id: string }[]): Uint8Array {
  const numbers = new Map(articles.map((a, k) => [a.id, k]));
  const article = new Int32Array(items.length);
  const kind = new Uint8Array(items.length);
  items.forEach((item, i) => {
    const k = numbers.get(item.articleId);
    if (item.label !== i || k === undefined) throw new Error(`vector item ${i} is not item ${i} of a listed article`);
    article[i] = k;
    kind[i] = KINDS.indexOf(item.kind);
  });
  return encodeBundle({ version: VERSION, count: items.length }, { article, kind });
}

/**
 * The items in `bytes`, each naming its article by id; `full()` gives every
 * item's text and hash (items.json), called once, the first time one is read.
 * Throws on anything that is not a whole file of this version for `articles`.
 */
export function decodeItems(
  bytes: Uint8Array,
  articles: readonly { id: string }[],
  full: () => readonly SnapshotItem[],
): SnapshotItem[] {
  const { meta, arrays } = decodeBundle(bytes);
  const { version, count } = meta as { version: number; count: number };
  if (version !== VERSION) throw new Error('not an items file of a known version');
  const article = arrayOf(arrays, 'article', Int32Array);
  const kind = arrayOf(arrays, 'kind', Uint8Array);
  if (article.length !== count || kind.length !== count) throw new Error('items file is damaged');
  const texts = new ItemTexts(full, count);
  const out: SnapshotItem[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const a = articles[article[i]!];
    const k = KINDS[kind[i]!];
    if (!a || !k) throw new Error('items file is damaged');
    out[i] = new StoredItem(i, a.id, k, texts);
  }
  return out;
}

/** Every item's text and hash, read on first use and kept. */
class ItemTexts {
  private items: readonly SnapshotItem[] | null = null;
  constructor(
    private readonly read: () => readonly SnapshotItem[],
    private readonly count: number,
  ) {}

  of(label: number): SnapshotItem {
    if (!this.items) {
      const items = this.read();
      if (items.length !== this.count) throw new Error('the snapshot files disagree on their sizes');
      this.items = items;
    }
    return this.items[label]!;
  }
}

/** An item read from items.bin: its text and hash come from items.json when asked for. */
class StoredItem implements SnapshotItem {
  constructor(
    readonly label: number,
    readonly articleId: string,
    readonly kind: VectorItem['kind'],
    private readonly texts: ItemTexts,
  ) {}

  get text(): string {
    return this.texts.of(this.label).text;
  }

  get hash(): string {
    return this.texts.of(this.label).hash;
  }

  /** As items.json lists it (the getters are not own properties: without this, JSON would drop them). */
  toJSON(): SnapshotItem {
    return { label: this.label, articleId: this.articleId, hash: this.hash, kind: this.kind, text: this.text };
  }
}
