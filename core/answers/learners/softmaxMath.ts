/**
 * Softmax of `z` in place, over the `allowed` classes only (the others get 0).
 * The predicate is asked once per class: the first pass sets the others to
 * −∞, whose exp is exactly the 0 they get (at 100k articles, the second call
 * per class was a quarter of the softmax, itself a tenth of an answer).
 */
export function softmaxInPlace(z: Float64Array, allowed?: (c: number) => boolean): void {
  let max = -Infinity;
  for (let c = 0; c < z.length; c++) {
    if (allowed && !allowed(c)) z[c] = -Infinity;
    else if (z[c]! > max) max = z[c]!;
  }
  // No class allowed: all 0, as before (every logit −∞, once NaN, is 0 too; a model's logits are finite).
  if (max === -Infinity) {
    z.fill(0);
    return;
  }
  let sum = 0;
  for (let c = 0; c < z.length; c++) sum += z[c] = Math.exp(z[c]! - max);
  for (let c = 0; c < z.length; c++) z[c]! /= sum || 1;
}

/** Class c's dense weights · the input's dense block. */
export function denseDot(weights: Float32Array, c: number, dense: Float32Array): number {
  const base = c * dense.length;
  let sum = 0;
  for (let d = 0; d < dense.length; d++) sum += weights[base + d]! * dense[d]!;
  return sum;
}

/** Class c's dense weights −= step · the input's dense block. */
export function stepDense(weights: Float32Array, c: number, dense: Float32Array, step: number): void {
  const base = c * dense.length;
  for (let d = 0; d < dense.length; d++) weights[base + d]! -= step * dense[d]!;
}
