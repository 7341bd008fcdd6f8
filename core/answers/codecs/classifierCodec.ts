import type { SavedClassifier } from '../learners/phraseClassifier.ts';

/**
 * The trained phrase classifier as bytes, so an index snapshot can carry it
 * and a server loading the snapshot need not retrain it (the longest part of
 * loading a large KB). Layout, little-endian: magic, version, the
 * fingerprint's length and bytes, classes, rowOf length, weights length,
 * dense weights length, then rowOf (int32), weights and dense weights
 * (float32), each 4-byte aligned. Version 1 had no dense weights: such a
 * file is refused, and the classifier retrained.
 */
const MAGIC = 0x4c434644; // "DFCL"
const VERSION = 2;
const HEADER_WORDS = 7;

export function encodeClassifier(saved: SavedClassifier): Uint8Array {
  const fingerprint = new TextEncoder().encode(saved.fingerprint);
  const headerWords = HEADER_WORDS + Math.ceil(fingerprint.length / 4);
  const { rowOf, weights, denseWeights, classes } = saved.model;
  const out = new Uint8Array((headerWords + rowOf.length + weights.length + denseWeights.length) * 4);
  const view = new DataView(out.buffer);
  [MAGIC, VERSION, fingerprint.length, classes, rowOf.length, weights.length, denseWeights.length].forEach((x, i) =>
    view.setUint32(i * 4, x, true),
  );
  out.set(fingerprint, HEADER_WORDS * 4);
  let at = headerWords * 4;
  for (const part of [rowOf, weights, denseWeights]) {
    out.set(new Uint8Array(part.buffer, part.byteOffset, part.byteLength), at);
    at += part.byteLength;
  }
  return out;
}

/** The classifier in `bytes`; throws on anything that is not a whole file of this format. */
export function decodeClassifier(bytes: Uint8Array): SavedClassifier {
  if (bytes.byteLength < HEADER_WORDS * 4) throw new Error('classifier file is truncated');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const [magic, version, fingerprintLength, classes, rows, cells, denseCells] = [0, 1, 2, 3, 4, 5, 6].map((i) =>
    view.getUint32(i * 4, true),
  ) as [number, number, number, number, number, number, number];
  if (magic !== MAGIC || version !== VERSION) throw new Error('not a classifier file of a known version');
  const headerWords = HEADER_WORDS + Math.ceil(fingerprintLength / 4);
  if (bytes.byteLength !== (headerWords + rows + cells + denseCells) * 4)
    throw new Error('classifier file is truncated');
  const fingerprint = new TextDecoder().decode(bytes.subarray(HEADER_WORDS * 4, HEADER_WORDS * 4 + fingerprintLength));
  // Views on the file's bytes, as the other stored models are (a file read whole has its own, aligned buffer):
  // copying them out paged in 20 MB more at 10k articles. Copied only when misaligned.
  const at = bytes.byteOffset + headerWords * 4;
  const body = at % 4 === 0 ? bytes.buffer : bytes.buffer.slice(at, at + (rows + cells + denseCells) * 4);
  const base = at % 4 === 0 ? at : 0;
  return {
    fingerprint,
    model: {
      classes,
      rowOf: new Int32Array(body, base, rows),
      weights: new Float32Array(body, base + rows * 4, cells),
      denseWeights: new Float32Array(body, base + (rows + cells) * 4, denseCells),
    },
  };
}
