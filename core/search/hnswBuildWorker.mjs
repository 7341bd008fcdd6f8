// Worker thread of `HnswVectorIndex.buildInWorker` (hnswVectorIndex.ts): build
// the graph from the shared vectors, exactly as `buildGraph` there does, and
// write it to the file named, for the main thread to read. Plain JavaScript
// because worker threads do not get the TypeScript loader the main thread runs under.
import { workerData } from 'node:worker_threads';
import hnswlib from 'hnswlib-node';

const { dimensions, labels, vectors, file, params } = workerData;
const index = new hnswlib.HierarchicalNSW('cosine', dimensions);
index.initIndex({ maxElements: Math.max(1, labels.length), ...params });
for (let i = 0; i < labels.length; i++)
  index.addPoint(Array.from(vectors.subarray(i * dimensions, (i + 1) * dimensions)), labels[i]);
await index.writeIndex(file);
