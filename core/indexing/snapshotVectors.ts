import { arrayOf, decodeBundle, encodeBundle } from '../answers/codecs/typedBundle.ts';
import { ArticleCentroids } from '../search/articleCentroids.ts';

/**
 * Each article's embedder centroid, as a typed bundle: the ids in the
 * header, the centroids sparse (their non-zero dimensions and values), as
 * `ArticleCentroids` serves them. The dense form (every dimension, one
 * vector after another; 41 MB at 10k articles against 12 MB, read and
 * converted at every load) is what older snapshots hold; it still reads.
 */
export function encodeCentroids(centroids: ArticleCentroids): Uint8Array {
  const { ids, dimensions, starts, dims, values } = centroids.parts();
  return encodeBundle({ ids, dims: dimensions, sparse: true }, { starts, dims, values });
}

export function decodeCentroids(bytes: Uint8Array, articles: number): ArticleCentroids {
  const { meta, arrays } = decodeBundle(bytes);
  const { ids, dims, sparse } = meta as { ids: string[]; dims: number; sparse?: boolean };
  if (ids.length !== articles) throw new Error('centroids file is damaged');
  if (sparse) {
    const nonZero = arrays.get('dims');
    if (!(nonZero instanceof Uint16Array || nonZero instanceof Uint32Array))
      throw new Error('centroids file has no dims of uint16 or uint32');
    return ArticleCentroids.restore({
      ids,
      starts: arrayOf(arrays, 'starts', Int32Array),
      dims: nonZero,
      values: arrayOf(arrays, 'values', Float32Array),
      dimensions: dims,
    });
  }
  const vectors = arrayOf(arrays, 'vectors', Float32Array);
  if (vectors.length !== ids.length * dims) throw new Error('centroids file is damaged');
  return ArticleCentroids.from(new Map(ids.map((id, i) => [id, vectors.subarray(i * dims, (i + 1) * dims)])));
}

/** Every item's vector, one after another (vectors.f32). */
export function packVectors(vectors: Float32Array[], dims: number): Uint8Array {
  const out = new Float32Array(vectors.length * dims);
  vectors.forEach((v, i) => out.set(v, i * dims));
  return new Uint8Array(out.buffer);
}

export function unpackVectors(buf: Buffer, dims: number): Float32Array[] {
  if (buf.byteLength % (dims * 4) !== 0) throw new Error('vector file is truncated');
  // A view on the file's bytes when they are aligned (a large read is its own allocation): copying them held two
  // copies of every vector at once while loading, 290 MB each at 10k articles.
  const all =
    buf.byteOffset % 4 === 0
      ? new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4)
      : new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  const out: Float32Array[] = [];
  for (let i = 0; i < all.length; i += dims) out.push(all.subarray(i, i + dims));
  return out;
}
