import type { ClassifierInput } from '../learners/softmaxRegression.ts';
import { arrayOf, decodeBundle, encodeBundle } from './typedBundle.ts';

/** Each unit's kind of input: none (the classifier does not read it), sparse only, or sparse with a dense block. */
const NONE = 0;
const SPARSE = 1;
const DENSE = 2;

/**
 * The classifier's training inputs (one per unit, null for units it does not
 * read) as one typed bundle: what a build's worker thread sends with the term
 * model it fitted, so the build's thread retrains the classifier for its
 * calibration without reading every unit's text again, as a model restored
 * from a snapshot must (5 s of CPU at 10k articles). Not a snapshot file.
 */
export function encodeClassifierInputs(inputs: readonly (ClassifierInput | null)[]): Uint8Array {
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
  return encodeBundle({ dims }, { kinds, starts, ids, w, dense });
}

/** The inputs in `bytes`, as views on them. */
export function decodeClassifierInputs(bytes: Uint8Array): (ClassifierInput | null)[] {
  const { meta, arrays } = decodeBundle(bytes);
  const { dims } = meta as { dims: number };
  const kinds = arrayOf(arrays, 'kinds', Uint8Array);
  const starts = arrayOf(arrays, 'starts', Int32Array);
  const ids = arrayOf(arrays, 'ids', Int32Array);
  const w = arrayOf(arrays, 'w', Float32Array);
  const dense = arrayOf(arrays, 'dense', Float32Array);
  let row = 0;
  return Array.from(kinds, (kind, i): ClassifierInput | null => {
    if (kind === NONE) return null;
    const sparse = { ids: ids.subarray(starts[i]!, starts[i + 1]!), w: w.subarray(starts[i]!, starts[i + 1]!) };
    return kind === DENSE ? { ...sparse, dense: dense.subarray(row * dims, ++row * dims) } : sparse;
  });
}
