import type { ClassifierTraining } from '../learners/phraseClassifier.ts';
import type { ClassifierInput } from '../learners/softmaxRegression.ts';
import { arrayOf, decodeBundle, encodeBundle } from './typedBundle.ts';

/** Each unit's kind of input: none (the classifier does not read it), sparse only, or sparse with a dense block. */
const NONE = 0;
const SPARSE = 1;
const DENSE = 2;

/**
 * What the classifier is retrained from (`ClassifierTraining`: one input a
 * unit, null for units it does not read, and each article's rivals) as one
 * typed bundle: what a build's worker thread sends with the term model it
 * fitted, so that the build's thread retrains the classifier for its
 * calibration without computing them again, as a model restored from a
 * snapshot must (every unit's text read again, and the rivals: 5–11 s of CPU
 * at 10k articles). Not a snapshot file.
 */
export function encodeClassifierTraining({ inputs, rivals }: ClassifierTraining): Uint8Array {
  const kinds = new Uint8Array(inputs.length);
  const starts = new Int32Array(inputs.length + 1);
  let entries = 0;
  let dims = 0;
  let denseRows = 0;
  inputs.forEach((x, i) => {
    kinds[i] = !x ? NONE : x.dense ? DENSE : SPARSE;
    entries += x?.ids.length ?? 0;
    starts[i + 1] = entries;
    if (x?.dense) {
      if (dims && x.dense.length !== dims) throw new Error('classifier inputs with dense blocks of different sizes');
      dims = x.dense.length;
      denseRows++;
    }
  });
  const ids = new Int32Array(entries);
  const w = new Float32Array(entries);
  const dense = new Float32Array(denseRows * dims);
  let row = 0;
  inputs.forEach((x, i) => {
    if (!x) return;
    ids.set(x.ids, starts[i]!);
    w.set(x.w, starts[i]!);
    if (x.dense) dense.set(x.dense, row++ * dims);
  });
  const articles = [...rivals.keys()];
  const rivalStarts = new Int32Array(articles.length + 1);
  articles.forEach((a, k) => (rivalStarts[k + 1] = rivalStarts[k]! + rivals.get(a)!.length));
  const rivalIds = new Int32Array(rivalStarts[articles.length]!);
  articles.forEach((a, k) => rivalIds.set(rivals.get(a)!, rivalStarts[k]!));
  return encodeBundle(
    { dims },
    { kinds, starts, ids, w, dense, rivalArticles: Int32Array.from(articles), rivalStarts, rivalIds },
  );
}

/** The training data in `bytes`, as views on them. */
export function decodeClassifierTraining(bytes: Uint8Array): ClassifierTraining {
  const { meta, arrays } = decodeBundle(bytes);
  const { dims } = meta as { dims: number };
  const i32 = (name: string) => arrayOf(arrays, name, Int32Array);
  const [starts, ids] = [i32('starts'), i32('ids')];
  const w = arrayOf(arrays, 'w', Float32Array);
  const dense = arrayOf(arrays, 'dense', Float32Array);
  let row = 0;
  const inputs = Array.from(arrayOf(arrays, 'kinds', Uint8Array), (kind, i): ClassifierInput | null => {
    if (kind === NONE) return null;
    const sparse = { ids: ids.subarray(starts[i]!, starts[i + 1]!), w: w.subarray(starts[i]!, starts[i + 1]!) };
    return kind === DENSE ? { ...sparse, dense: dense.subarray(row * dims, ++row * dims) } : sparse;
  });
  const [articles, rivalStarts, rivalIds] = [i32('rivalArticles'), i32('rivalStarts'), i32('rivalIds')];
  const rivals = new Map<number, Int32Array>();
  articles.forEach((a, k) => rivals.set(a, rivalIds.subarray(rivalStarts[k]!, rivalStarts[k + 1]!)));
  return { inputs, rivals };
}
