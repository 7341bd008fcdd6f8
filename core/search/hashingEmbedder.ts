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
    let norm = 0;
    for (const x of v) norm += x * x;
    norm = Math.sqrt(norm) || 1;
    for (let i = 0; i < v.length; i++) v[i]! /= norm;
    return v;
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
