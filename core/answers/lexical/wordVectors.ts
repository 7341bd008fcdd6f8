import type { WordVectors } from '../../search/ports.ts';
import { RowMatrix } from './rowDots.ts';

/**
 * A text as one unit vector: the frequency-weighted mean of its words'
 * vectors (Arora et al.'s SIF, without the common-component removal, which
 * needs a corpus of questions). Null when no word has a vector.
 */
export function textVector(vectors: WordVectors, ws: readonly string[]): Float32Array | null {
  const out = new Float32Array(vectors.dimensions);
  let any = false;
  for (const w of ws) {
    const v = vectors.vector(w);
    if (!v) continue;
    const weight = vectors.weight(w);
    for (let d = 0; d < out.length; d++) out[d]! += weight * v[d]!;
    any = true;
  }
  return any ? normalise(out) : null;
}

/** Unit length in place (a zero vector stays zero). */
function normalise(v: Float32Array): Float32Array {
  let n = 0;
  for (const x of v) n += x * x;
  n = Math.sqrt(n);
  if (n > 0) for (let d = 0; d < v.length; d++) v[d]! /= n;
  return v;
}

/**
 * The KB's own words nearest in meaning to a word the KB never uses, so a
 * question in other words still reaches the article ("furry" → pets).
 * Only words the vectors know count; lookups are cached per word.
 */
export class WordNeighbours {
  private readonly kbWords: string[] = [];
  private readonly matrix: RowMatrix;
  private readonly cache = new Map<string, [word: string, similarity: number][]>();

  constructor(
    private readonly vectors: WordVectors,
    kbWords: Iterable<string>,
    private readonly options: { k: number; minSimilarity: number; kernel?: boolean },
  ) {
    const rows: Float32Array[] = [];
    for (const w of kbWords) {
      const v = vectors.vector(w);
      if (!v) continue;
      this.kbWords.push(w);
      rows.push(v);
    }
    this.matrix = new RowMatrix(rows.length, vectors.dimensions, { kernel: options.kernel });
    rows.forEach((v, i) => this.matrix.values.set(v, i * vectors.dimensions));
  }

  /** The KB words it searches (those the vectors know), in order: what a snapshot stores to build it again. */
  get words(): readonly string[] {
    return this.kbWords;
  }

  /** Up to k KB words with cosine ≥ minSimilarity to `word`, most similar first. */
  of(word: string): [word: string, similarity: number][] {
    const hit = this.cache.get(word);
    if (hit) return hit;
    const v = this.vectors.vector(word);
    const found: [string, number][] = [];
    if (v && this.kbWords.length) {
      // The scan over every KB word is the cost of a new word (see RowMatrix).
      const dots = this.matrix.dots(v);
      const min = this.options.minSimilarity;
      for (let i = 0; i < dots.length; i++) if (dots[i]! >= min) found.push([this.kbWords[i]!, dots[i]!]);
      found.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    }
    const out = found.slice(0, this.options.k);
    // Questions repeat their words; the cache is bounded so a flood of made-up words cannot grow it without end.
    if (this.cache.size >= 50_000) this.cache.clear();
    this.cache.set(word, out);
    return out;
  }
}
