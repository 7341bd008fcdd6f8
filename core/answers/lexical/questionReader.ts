import type { Lang } from '../../contracts/api.ts';
import { words } from '../../text/analyze.ts';
import { isContentWord, kbNeighbours, MEANING, meaningOf, neighboursAmong } from './meaningFeatures.ts';
import type { SparseVector } from '../learners/softmaxRegression.ts';
import { Speller, type SpellerParts } from './spelling.ts';
import { SPELLING_WEIGHT, stemCode, SYNONYM_WEIGHT, wordCode } from './textFeatures.ts';
import type { FeatureCounts, TermSpace } from './termSpace.ts';
import type { WordNeighbours } from './wordVectors.ts';
import type { WordVectors } from '../../search/ports.ts';

/** A question as the model reads it: sparse features, and its mean word vector when there are word vectors. */
export interface QuestionVector extends SparseVector {
  meaning: Float32Array | null;
}

/** What a fitted reader keeps of the KB, for the index snapshot: its speller, and the KB words with neighbours. */
export interface QuestionReaderParts {
  speller: SpellerParts;
  /** The KB words neighbours are looked up among (null: the reader had no word vectors). */
  neighbourWords: string[] | null;
}

/**
 * Reads a question into the KB's feature space. Its own features first;
 * then KB words standing in for words the KB does not use as written: the
 * correction of a misspelt word, the parts of a compound written together
 * or apart, the KB words nearest in meaning (with word vectors), and the
 * KB's synonyms. A borrowed word counts once, weighted by how sure the link
 * is, and never twice for a feature the question already has.
 */
export class QuestionReader {
  private constructor(
    private readonly space: TermSpace,
    private readonly speller: Speller,
    /** Pre-trained word vectors, or null when the model is lexical only. */
    readonly vectors: WordVectors | null,
    private readonly neighbours: WordNeighbours | null,
  ) {}

  /** Each language's compound splits (see `Speller.compounds`). */
  private readonly splits = { es: new Map<string, string[]>(), en: new Map<string, string[]>() };
  /** Each word's borrowed neighbours (see `nearOf`). */
  private readonly near = new Map<string, [id: number, similarity: number][]>();

  /** Learns the KB's vocabulary (for spelling) and its content words' neighbours from its units' words. */
  static fit(
    space: TermSpace,
    units: { words: readonly string[]; lang: Lang }[],
    vectors: WordVectors | null,
  ): QuestionReader {
    const frequency = new Map<string, number>();
    for (const u of units) for (const w of u.words) frequency.set(w, (frequency.get(w) ?? 0) + 1);
    return new QuestionReader(space, new Speller(frequency), vectors, vectors ? kbNeighbours(vectors, units) : null);
  }

  /** The reader as `parts`: `restore` gives it back without reading the KB's words again. */
  parts(): QuestionReaderParts {
    return { speller: this.speller.parts(), neighbourWords: this.neighbours ? [...this.neighbours.words] : null };
  }

  /** A reader saved as `parts`, with the same word vectors (the caller checks their id). */
  static restore(space: TermSpace, parts: QuestionReaderParts, vectors: WordVectors | null): QuestionReader {
    if (!vectors !== !parts.neighbourWords) throw new Error('the saved reader was fitted with other word vectors');
    const neighbours = vectors && parts.neighbourWords ? neighboursAmong(vectors, parts.neighbourWords) : null;
    return new QuestionReader(space, Speller.restore(parts.speller), vectors, neighbours);
  }

  /** A question as a unit vector; words the KB never uses still count in its length, so they dilute every match. */
  read(text: string, lang: Lang, synonymStems: readonly string[] = []): QuestionVector {
    const questionWords = words(text);
    const { counts, unknownNorm2 } = this.space.countWords(questionWords, lang);
    const borrowed = new Borrowed(counts);
    for (const w of questionWords) borrowed.add(this.wordId(this.speller.correct(w), lang), SPELLING_WEIGHT);
    const known = (x: string) => this.wordId(x, lang) !== undefined;
    for (const w of this.speller.compounds(questionWords, known, this.splits[lang])) borrowed.add(this.wordId(w, lang));
    if (this.neighbours && lang === this.vectors!.lang) this.addNeighbours(questionWords, lang, borrowed);
    for (const s of synonymStems) borrowed.add(this.space.idOf(stemCode(s)), SYNONYM_WEIGHT);
    return {
      ...this.space.weigh(counts, unknownNorm2, borrowed.weights),
      meaning: meaningOf(this.vectors, questionWords, lang),
    };
  }

  /**
   * Each content word brings in the KB words nearest in meaning, weighted by
   * how near ("reimbursement" → refund): any near word for one the KB never
   * uses (and cannot spell-correct), only close ones for a word it knows.
   */
  private addNeighbours(questionWords: readonly string[], lang: Lang, borrowed: Borrowed): void {
    for (const w of questionWords) for (const [id, similarity] of this.nearOf(w, lang)) borrowed.add(id, similarity);
  }

  /**
   * The features a question word borrows from its neighbours, with their
   * similarities: a pure function of the word for this reader (the
   * neighbours' language is fixed), remembered as the speller's corrections
   * are, so a repeated word costs one lookup instead of its checks and a
   * stem per neighbour.
   */
  private nearOf(w: string, lang: Lang): [id: number, similarity: number][] {
    const remembered = this.near.get(w);
    if (remembered) return remembered;
    const found: [number, number][] = [];
    if (isContentWord(w, lang) && this.speller.correct(w) === null) {
      const min = this.wordId(w, lang) !== undefined ? MEANING.minSimilarityKnown : MEANING.minSimilarity;
      for (const [near, similarity] of this.neighbours!.of(w)) {
        const id = similarity >= min ? this.wordId(near, lang) : undefined;
        if (id !== undefined) found.push([id, similarity]);
      }
    }
    if (this.near.size >= MAX_REMEMBERED) this.near.clear();
    this.near.set(w, found);
    return found;
  }

  /** The feature id of a word (its stem), or undefined when the KB never uses it (or there is no word). */
  private wordId(word: string | null, lang: Lang): number | undefined {
    return word === null ? undefined : this.space.idOf(wordCode(word, lang));
  }
}

/** Words remembered per reader for splits and neighbours, as the speller bounds its corrections. */
const MAX_REMEMBERED = 50_000;

/** A question's feature counts, with the KB features it borrowed and their weights. */
class Borrowed {
  readonly weights = new Map<number, number>();
  constructor(private readonly counts: FeatureCounts) {}

  /** Counts a KB feature once, unless the question has it already; without a weight it counts fully. */
  add(id: number | undefined, weight?: number): void {
    if (id === undefined || this.counts.has(id)) return;
    this.counts.set(id, 1);
    if (weight !== undefined) this.weights.set(id, weight);
  }
}
