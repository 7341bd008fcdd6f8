import type { Lang } from '../../contracts/api.ts';
import type { WordVectors } from '../../search/ports.ts';
import type { Centroids } from './centroids.ts';
import { meaningOf, withMeaning } from './meaningFeatures.ts';
import { PhraseClassifier } from '../learners/phraseClassifier.ts';
import type { ClassifierInput, SparseVector } from '../learners/softmaxRegression.ts';
import type { TermSpace } from './termSpace.ts';
import type { TermUnit } from './termUnits.ts';

/** The classifier reads a passage's strongest features only: a long section would outweigh every phrasing. */
const MAX_PASSAGE_FEATURES = 64;

/**
 * A matched unit as the classifier reads it: words and 4-grams (see
 * TermSpace.forClassifier), a long passage's strongest only, with the unit's
 * mean word vector.
 */
export function classifierInput(
  space: TermSpace,
  vectors: WordVectors | null,
  unit: TermUnit,
  vector: SparseVector,
  unitWords: readonly string[],
  lang: Lang,
): ClassifierInput {
  const sparse = space.forClassifier(vector, unit.kind === 'passage' ? MAX_PASSAGE_FEATURES : Infinity);
  return withMeaning(sparse, meaningOf(vectors, unitWords, lang));
}

/** The classifier over the matched units; a saved one is reused when it was trained on exactly these inputs. */
export function classifierOf(
  /** Each unit's article. */
  article: Int32Array,
  inputs: (ClassifierInput | null)[] | (() => (ClassifierInput | null)[]),
  space: TermSpace,
  centroids: Centroids,
  options: ConstructorParameters<typeof PhraseClassifier>[5],
): PhraseClassifier {
  const articles = centroids.articles;
  return new PhraseClassifier(inputs, (i) => article[i]!, articles, space.size, centroids, options);
}
