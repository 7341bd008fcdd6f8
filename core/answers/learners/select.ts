/**
 * The value at `n` of `values` once sorted ascending (Hoare's quickselect,
 * reorders `values`): the same order statistic a sort gives, in linear time.
 */
export function kthSmallest(values: Float32Array | Float64Array, n: number): number {
  let lo = 0;
  let hi = values.length - 1;
  while (lo < hi) {
    const pivot = values[(lo + hi) >>> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i]! < pivot) i++;
      while (values[j]! > pivot) j--;
      if (i <= j) {
        const t = values[i]!;
        values[i++] = values[j]!;
        values[j--] = t;
      }
    }
    if (n <= j) hi = j;
    else if (n >= i) lo = i;
    else return values[n]!;
  }
  return values[n]!;
}

/**
 * `topIndices` (rivals.ts) of the article's full row, given that every article but it
 * and the candidates scores below `kth` (the k-th largest): those above it
 * in index order, then those equal to it, up to k.
 */
export function chosen(
  article: number,
  candidates: Int32Array,
  exact: ArrayLike<number>,
  kth: number,
  k: number,
): Int32Array {
  const byIndex = Array.from(candidates, (b, c) => ({ b, value: exact[c]! }));
  byIndex.push({ b: article, value: Infinity });
  byIndex.sort((x, y) => x.b - y.b);
  const out: number[] = [];
  for (const { b, value } of byIndex) if (out.length < k && value > kth) out.push(b);
  for (const { b, value } of byIndex) if (out.length < k && value === kth) out.push(b);
  return Int32Array.from(out);
}
