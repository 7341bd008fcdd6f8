import type { Lang } from '../contracts/api.ts';
import { isStopword, words } from '../text/analyze.ts';
import { cachedStem } from '../text/cachedTerms.ts';
import type { Embedder } from './ports.ts';

/**
 * The default embedder: offline, deterministic, no model to download.
 * It hashes stemmed words and character 3- and 4-grams into a fixed-size
 * signed vector (the "hashing trick"). Character grams make it tolerant of
 * typos and inflections ("contrasena", "passwrod"); stems match word forms.
 * Its limit: it knows spelling, not meaning — "card arrived" and "delivery
 * of my card" share little. A semantic model (issue: model back ends) fixes that.
 */
export class HashingEmbedder implements Embedder {
  readonly id: string;
  readonly sparseQueries = true;
  private readonly features = new WordFeatures();
  constructor(
    readonly dimensions = 1024,
    private readonly charWeight = 0.5,
  ) {
    this.id = `hashing-v1-d${dimensions}-c${charWeight}`;
  }

  async embed(texts: string[], _kind: 'query' | 'passage', lang: Lang = 'en'): Promise<Float32Array[]> {
    return texts.map((t) => this.embedOne(t, lang));
  }

  /**
   * Each feature (a stem, a gram) counts once per occurrence; its weight, 1 + log(count), goes to the slot its hash
   * names, with the hash's sign. Stems come first, then grams, each in the order they first occur: the vector sums
   * in float32, so the order is part of the result.
   */
  embedOne(text: string, lang: Lang): Float32Array {
    const dims = this.dimensions;
    const v = new Float32Array(dims);
    const table = this.features;
    table.bound();
    const entries = words(text).map((w) => table.of(w, lang));
    const n = table.count(entries);
    const { hashes, counts, isGram, order } = table;
    for (let k = 0; k < n; k++) {
      const id = order[k]!;
      const h = hashes[id]!;
      const weight = (1 + logOf(counts[id]!)) * (isGram[id] ? this.charWeight : 1);
      v[h % dims]! += (h & 0x80000000) !== 0 ? -weight : weight;
      counts[id] = 0;
    }
    let norm = 0;
    for (let i = 0; i < dims; i++) norm += v[i]! * v[i]!;
    norm = Math.sqrt(norm) || 1;
    for (let i = 0; i < dims; i++) v[i]! /= norm;
    return v;
  }
}

/** Math.log of small counts, looked up: the same values, without a call per feature of every text. */
const LOGS = Float64Array.from({ length: 256 }, (_, i) => Math.log(i));

function logOf(count: number): number {
  return count < 256 ? LOGS[count]! : Math.log(count);
}

/** A word's features as ids in `WordFeatures`: its stem's (-1 for a stopword), then its grams' in order. */
interface WordEntry {
  stem: number;
  grams: Int32Array;
  /** The last text `count` saw the word in, and how many times it was there. */
  text: number;
  times: number;
}

/** Bounds the tables on a stream of queries with an unusual vocabulary; emptied (between two texts) past it. */
const MAX_FEATURES = 1 << 20;

/**
 * Every word's features (its stem, its character 3- and 4-grams), worked out
 * once per process and kept as small integers with their hashes: help-desk
 * text repeats a few thousand words, and building a string per gram and
 * hashing it again for each of them was most of the embedding's time.
 */
class WordFeatures {
  hashes = new Uint32Array(1024);
  isGram = new Uint8Array(1024);
  /** Per-text occurrence counts by id, back to 0 once the text's vector is summed. */
  counts = new Int32Array(1024);
  /** The ids `count` found, in order. */
  order = new Int32Array(1024);
  private size = 0;
  /** How many texts `count` has counted (each word's `text` names the last one), and the last one's distinct words. */
  private texts = 0;
  private readonly distinct: WordEntry[] = [];
  private readonly ids = { stem: new Map<string, number>(), gram: new Map<string, number>() };
  private readonly words = { es: new Map<string, WordEntry>(), en: new Map<string, WordEntry>() };

  /** Empties the tables past their bound: between two texts only, since a text's entries hold ids. */
  bound(): void {
    if (this.size < MAX_FEATURES) return;
    this.size = 0;
    this.ids.stem.clear();
    this.ids.gram.clear();
    this.words.es.clear();
    this.words.en.clear();
  }

  of(word: string, lang: Lang): WordEntry {
    let entry = this.words[lang].get(word);
    if (entry === undefined) {
      entry = {
        stem: isStopword(word, lang) ? -1 : this.id('stem', `w:${cachedStem(word, lang)}`),
        grams: this.gramsOf(word),
        text: 0,
        times: 0,
      };
      this.words[lang].set(word, entry);
    }
    return entry;
  }

  /**
   * Counts the words' features in `counts` and lists their ids in `order`, each once in the order it first occurs
   * (stems before grams); returns how many. A word repeated in the text counts its features once with its number of
   * occurrences (a chunk repeats its stopwords and topic words: each repeat was a dozen grams counted again). Only a
   * word's first occurrence can be a feature's first, so the order is the same as counting every occurrence.
   */
  count(entries: readonly WordEntry[]): number {
    const { counts, distinct } = this;
    const text = ++this.texts;
    distinct.length = 0;
    for (const e of entries) {
      if (e.text !== text) {
        e.text = text;
        e.times = 0;
        distinct.push(e);
      }
      e.times++;
    }
    let n = 0;
    let order = this.order;
    const note = (id: number, times: number) => {
      const before = counts[id]!;
      counts[id] = before + times;
      if (before !== 0) return;
      if (n === order.length) {
        const longer = new Int32Array(n * 2);
        longer.set(order);
        order = this.order = longer;
      }
      order[n++] = id;
    };
    for (const e of distinct) if (e.stem >= 0) note(e.stem, e.times);
    for (const e of distinct) for (let i = 0; i < e.grams.length; i++) note(e.grams[i]!, e.times);
    return n;
  }

  private gramsOf(word: string): Int32Array {
    const s = ` ${word} `;
    const out: number[] = [];
    for (const n of [3, 4]) for (let i = 0; i + n <= s.length; i++) out.push(this.id('gram', `c:${s.slice(i, i + n)}`));
    return Int32Array.from(out);
  }

  private id(kind: 'stem' | 'gram', feature: string): number {
    const ids = this.ids[kind];
    let id = ids.get(feature);
    if (id === undefined) {
      id = this.size++;
      if (id === this.hashes.length) this.grow();
      this.hashes[id] = fnv1a(feature);
      this.isGram[id] = kind === 'gram' ? 1 : 0;
      ids.set(feature, id);
    }
    return id;
  }

  private grow(): void {
    const n = this.hashes.length * 2;
    const hashes = new Uint32Array(n);
    hashes.set(this.hashes);
    const isGram = new Uint8Array(n);
    isGram.set(this.isGram);
    this.hashes = hashes;
    this.isGram = isGram;
    this.counts = new Int32Array(n); // all 0 between texts
  }
}

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
