import type { SavedClassifier } from './phraseClassifier.ts';

/**
 * The trained phrase classifier as bytes, so an index snapshot can carry it
 * and a server loading the snapshot need not retrain it (the longest part of
 * loading a large KB). Layout, little-endian: magic, version, the
 * fingerprint's length and bytes, classes, rowOf length, weights length,
 * then rowOf (int32) and weights (float32), each 4-byte aligned.
 */
const MAGIC = 0x4c434644; // "DFCL"
const VERSION = 1;

export function encodeClassifier(saved: SavedClassifier): Uint8Array {
  const fingerprint = new TextEncoder().encode(saved.fingerprint);
  const headerWords = 6 + Math.ceil(fingerprint.length / 4);
  const { rowOf, weights, classes } = saved.model;
  const out = new Uint8Array((headerWords + rowOf.length + weights.length) * 4);
  const view = new DataView(out.buffer);
  [MAGIC, VERSION, fingerprint.length, classes, rowOf.length, weights.length].forEach((x, i) => view.setUint32(i * 4, x, true));
  out.set(fingerprint, 24);
  out.set(new Uint8Array(rowOf.buffer, rowOf.byteOffset, rowOf.byteLength), headerWords * 4);
  out.set(new Uint8Array(weights.buffer, weights.byteOffset, weights.byteLength), (headerWords + rowOf.length) * 4);
  return out;
}

/** The classifier in `bytes`; throws on anything that is not a whole file of this format. */
export function decodeClassifier(bytes: Uint8Array): SavedClassifier {
  if (bytes.byteLength < 24) throw new Error('classifier file is truncated');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const [magic, version, fingerprintLength, classes, rows, cells] = [0, 1, 2, 3, 4, 5].map((i) => view.getUint32(i * 4, true)) as [number, number, number, number, number, number];
  if (magic !== MAGIC || version !== VERSION) throw new Error('not a classifier file of a known version');
  const headerWords = 6 + Math.ceil(fingerprintLength / 4);
  if (bytes.byteLength !== (headerWords + rows + cells) * 4) throw new Error('classifier file is truncated');
  const fingerprint = new TextDecoder().decode(bytes.subarray(24, 24 + fingerprintLength));
  // Copy out (a Buffer's slice() is a view): the arrays must be aligned and must not pin the file's buffer.
  const body = new Uint8Array(bytes.byteLength - headerWords * 4);
  body.set(bytes.subarray(headerWords * 4));
  return {
    fingerprint,
    model: { classes, rowOf: new Int32Array(body.buffer, 0, rows), weights: new Float32Array(body.buffer, rows * 4, cells) },
  };
}
