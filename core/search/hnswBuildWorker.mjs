// Worker thread of `GraphFeed` (hnswGraphFeed.ts): build the graph from a
// vector file the main thread is still writing, exactly as `buildGraph` in
// hnswVectorIndex.ts does (every vector in label order), and write it to the
// file named, for the main thread to read. Each message `{ available: n }`
// says the first n vectors are on disk; `{ end: n }` that there are n in all.
// The vectors are read a run at a time and never held whole: at 10k articles
// they are 287 MB, which the graph already holds once. Plain JavaScript
// because worker threads do not get the TypeScript loader the main thread runs under.
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import hnswlib from 'hnswlib-node';

const { dimensions, count, vectorFile, graphFile, params } = workerData;
const RUN = 256;
const index = new hnswlib.HierarchicalNSW('cosine', dimensions);
index.initIndex({ maxElements: Math.max(1, count), ...params });
const fd = openSync(vectorFile, 'r');
const run = new Float32Array(RUN * dimensions);
const bytes = new Uint8Array(run.buffer);
// One array for every point (addPoint copies it): a new one per point, as Array.from made, was 8 KB of garbage
// each (560 MB at 10k articles) and about 2 s of this thread's CPU.
const point = new Array(dimensions).fill(0);
let added = 0;

parentPort.on('message', async (message) => {
  if (message.available !== undefined) addUpTo(message.available);
  else if (message.end !== undefined) {
    addUpTo(message.end);
    closeSync(fd);
    if (added !== count) throw new Error(`the vector file holds ${added} vectors, ${count} were announced`);
    await index.writeIndex(graphFile);
    // This thread's CPU time, for the build's stage timings: read here, as its /proc entry goes with the thread.
    parentPort.postMessage({ stat: threadStat() });
    parentPort.close();
  }
});

function threadStat() {
  try {
    return readFileSync('/proc/thread-self/stat', 'latin1');
  } catch {
    return null;
  }
}

function addUpTo(available) {
  while (added < available) {
    const n = Math.min(RUN, available - added);
    const want = n * dimensions * 4;
    let got = 0;
    while (got < want) {
      const read = readSync(fd, bytes, got, want - got, added * dimensions * 4 + got);
      if (read === 0) throw new Error(`the vector file ends before vector ${added + n}`);
      got += read;
    }
    for (let k = 0; k < n; k++) {
      for (let d = 0, o = k * dimensions; d < dimensions; d++) point[d] = run[o + d];
      index.addPoint(point, added++);
    }
  }
}
