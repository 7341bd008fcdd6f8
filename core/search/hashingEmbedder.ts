import type { Lang } from '../contracts/api.ts';
import { words } from '../text/analyze.ts';
import { cachedTerms } from '../text/cachedTerms.ts';
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
  constructor(
    readonly dimensions = 1024,
    private readonly charWeight = 0.5,
  ) {
    this.id = `hashing-v1-d${dimensions}-c${charWeight}`;
  }

  async embed(texts: string[], _kind: 'query' | 'passage', lang: Lang = 'en'): Promise<Float32Array[]> {
    return texts.map((t) => this.embedOne(t, lang));
  }

  embedOne(text: string, lang: Lang): Float32Array {
    return this.embedGrams(text, lang) ?? this.embedByStrings(text, lang);
  }

  /**
   * `embedByStrings` without a string per feature: words are counted by
   * their stem, character grams by their hash (FNV-1a of "c:" and the gram,
   * as the strings would hash), each hash's first gram remembered by where
   * it is. Two different grams of one text with the same hash would count
   * as one where the strings count two: then it returns null, and the
   * caller takes the strings' way, so every vector is the same either way.
   * A question's grams made half of an answer's garbage.
   */
  private embedGrams(text: string, lang: Lang): Float32Array | null {
    const wordCounts = new Map<string, number>();
    for (const t of cachedTerms(text, lang)) wordCounts.set(t, (wordCounts.get(t) ?? 0) + 1);
    const ws = words(text);
    const grams = gramScratch;
    grams.slotOf.clear();
    grams.n = 0;
    for (let k = 0; k < ws.length; k++) {
      const s = ` ${ws[k]!} `;
      for (let n = 3; n <= 4; n++)
        for (let i = 0; i + n <= s.length; i++) {
          let h = C_PREFIX_HASH;
          for (let j = i; j < i + n; j++) h = Math.imul(h ^ s.charCodeAt(j), 0x01000193);
          // As a signed 32-bit key: a Map keyed by numbers from 2^31 on boxes each one.
          const slot = grams.slotOf.get(h | 0);
          if (slot === undefined) grams.add(h | 0, s, i, n);
          else if (grams.same(slot, s, i, n)) grams.counts[slot]!++;
          else return null;
        }
    }
    const v = new Float32Array(this.dimensions);
    // Words first, then grams, each in order of first use: the order the strings' one map adds them to v in.
    for (const [t, count] of wordCounts) {
      const h = fnv1aFrom(W_PREFIX_HASH, t);
      const weight = 1 + Math.log(count);
      v[h % this.dimensions]! += (h & 0x80000000) !== 0 ? -weight : weight;
    }
    for (let g = 0; g < grams.n; g++) {
      const h = grams.hashes[g]! >>> 0;
      const weight = (1 + Math.log(grams.counts[g]!)) * this.charWeight;
      v[h % this.dimensions]! += (h & 0x80000000) !== 0 ? -weight : weight;
    }
    return normalised(v);
  }

  /** The embedding as it was first written, one string per feature: the reference `embedGrams` falls back to. */
  embedByStrings(text: string, lang: Lang): Float32Array {
    const v = new Float32Array(this.dimensions);
    const counts = new Map<string, number>();
    for (const t of cachedTerms(text, lang)) counts.set(`w:${t}`, (counts.get(`w:${t}`) ?? 0) + 1);
    for (const w of words(text)) {
      const s = ` ${w} `;
      for (const n of [3, 4])
        for (let i = 0; i + n <= s.length; i++) {
          const g = `c:${s.slice(i, i + n)}`;
          counts.set(g, (counts.get(g) ?? 0) + 1);
        }
    }
    for (const [feature, count] of counts) {
      const h = fnv1a(feature);
      const weight = (1 + Math.log(count)) * (feature.startsWith('c:') ? this.charWeight : 1);
      v[h % this.dimensions]! += (h & 0x80000000) !== 0 ? -weight : weight;
    }
    return normalised(v);
  }
}

/** `v` scaled to unit length in place (a zero vector stays zero). */
function normalised(v: Float32Array): Float32Array {
  let norm = 0;
  for (const x of v) norm += x * x;
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < v.length; i++) v[i]! /= norm;
  return v;
}

/** One text's distinct character grams, in order of first use: where each first occurs, and its count. */
class GramTable {
  readonly slotOf = new Map<number, number>();
  hashes = new Int32Array(256);
  counts = new Int32Array(256);
  private texts: string[] = [];
  private starts = new Int32Array(256);
  private lengths = new Int32Array(256);
  n = 0;

  add(hash: number, s: string, start: number, length: number): void {
    if (this.n === this.hashes.length) {
      this.hashes = doubled(this.hashes);
      this.counts = doubled(this.counts);
      this.starts = doubled(this.starts);
      this.lengths = doubled(this.lengths);
    }
    this.slotOf.set(hash, this.n);
    this.hashes[this.n] = hash;
    this.counts[this.n] = 1;
    this.texts[this.n] = s;
    this.starts[this.n] = start;
    this.lengths[this.n] = length;
    this.n++;
  }

  /** Whether `s[start, start + length)` is the gram in `slot` (not another with the same hash). */
  same(slot: number, s: string, start: number, length: number): boolean {
    if (this.lengths[slot] !== length) return false;
    const at = this.starts[slot]!;
    const other = this.texts[slot]!;
    for (let j = 0; j < length; j++) if (other.charCodeAt(at + j) !== s.charCodeAt(start + j)) return false;
    return true;
  }
}

function doubled(a: Int32Array): Int32Array<ArrayBuffer> {
  const out = new Int32Array(a.length * 2);
  out.set(a);
  return out;
}

/** Reused from text to text: embedding is synchronous, one text at a time per thread. */
const gramScratch = new GramTable();

function fnv1a(s: string): number {
  return fnv1aFrom(0x811c9dc5, s);
}

/** FNV-1a of `s` continued from the state `h` (that of a prefix), unsigned. */
function fnv1aFrom(h: number, s: string): number {
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** FNV-1a's state after "w:" and after "c:", the prefixes of word and gram features. */
const W_PREFIX_HASH = fnv1aFrom(0x811c9dc5, 'w:') | 0;
const C_PREFIX_HASH = fnv1aFrom(0x811c9dc5, 'c:') | 0;
