import type { Lang } from '../../contracts/api.ts';
import { isStopword } from '../../text/analyze.ts';
import type { ClassifierInput, SparseVector } from '../learners/softmaxRegression.ts';
import { textVector, WordNeighbours } from './wordVectors.ts';
import type { WordVectors } from '../../search/ports.ts';

/**
 * What the lexical model takes from pre-trained word vectors, with the
 * settings chosen on the dev sets (docs/quality.md): the classifier also
 * reads each phrasing's mean word vector, and each question word brings in
 * the KB words nearest in meaning.
 */
export const MEANING = {
  /** Weight of the mean-vector block beside the unit-length sparse input (1.2–2 helps CLINC150 more and hurts the HINT3 bots). */
  classifierWeight: 0.8,
  /** KB words brought in per question word, and how close they must be (cosine) to a word the KB never uses, and to one it uses. */
  neighbours: 3,
  minSimilarity: 0.45,
  minSimilarityKnown: 0.6,
} as const;

/** The mean word vector of a text's words, when the vectors speak its language. */
export function meaningOf(vectors: WordVectors | null, ws: readonly string[], lang: Lang): Float32Array | null {
  return vectors && lang === vectors.lang ? textVector(vectors, ws) : null;
}

/** The classifier's input: the sparse features, and the meaning (scaled) as a dense block beside them. */
export function withMeaning(v: SparseVector, meaning: Float32Array | null): ClassifierInput {
  return meaning ? { ids: v.ids, w: v.w, dense: meaning.map((x) => MEANING.classifierWeight * x) } : v;
}

/** Neighbour lookups over the KB's content words in the vectors' language (function words have no useful neighbours). */
export function kbNeighbours(vectors: WordVectors, units: { words: readonly string[]; lang: Lang }[]): WordNeighbours {
  const kbWords = new Set<string>();
  for (const u of units)
    if (u.lang === vectors.lang) for (const w of u.words) if (isContentWord(w, vectors.lang)) kbWords.add(w);
  return neighboursAmong(vectors, kbWords);
}

/** Neighbour lookups over `kbWords` as `kbNeighbours` chose them (a snapshot stores the list). */
export function neighboursAmong(vectors: WordVectors, kbWords: Iterable<string>): WordNeighbours {
  return new WordNeighbours(vectors, kbWords, { k: MEANING.neighbours, minSimilarity: MEANING.minSimilarity });
}

export function isContentWord(w: string, lang: Lang): boolean {
  return w.length >= 3 && !/\d/.test(w) && !isStopword(w, lang);
}
