import { arrayOf, decodeBundle, encodeBundle } from '../answers/codecs/typedBundle.ts';

/** Each article's embedder centroid, as a typed bundle: the ids in the header, the vectors one after another. */
export function encodeCentroids(centroids: ReadonlyMap<string, Float32Array>): Uint8Array {
  const ids = [...centroids.keys()];
  const dims = centroids.size ? centroids.values().next().value!.length : 0;
  const vectors = new Float32Array(ids.length * dims);
  ids.forEach((id, i) => vectors.set(centroids.get(id)!, i * dims));
  return encodeBundle({ ids, dims }, { vectors });
}

export function decodeCentroids(bytes: Uint8Array, articles: number): Map<string, Float32Array> {
  const { meta, arrays } = decodeBundle(bytes);
  const { ids, dims } = meta as { ids: string[]; dims: number };
  const vectors = arrayOf(arrays, 'vectors', Float32Array);
  if (ids.length !== articles || vectors.length !== ids.length * dims) throw new Error('centroids file is damaged');
  return new Map(ids.map((id, i) => [id, vectors.subarray(i * dims, (i + 1) * dims)]));
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
