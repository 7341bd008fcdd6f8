// Worker thread of `loadGloveWordVectors` (gloveWordVectors.ts): read the
// package's JSON (300 MB; about a gigabyte of heap while parsed, given back
// when this thread ends), keep the most frequent words as unit-length
// float32 rows, write the compact cache file and hand its bytes back. Plain
// JavaScript because worker threads do not get the TypeScript loader.
import { promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';

const { jsonFile, vocabulary, cacheFile, version } = workerData;
const source = JSON.parse(readFileSync(jsonFile, 'utf8'));
const D = source.dimensions;
const words = [];
// Each word's place in the source, which is ordered by corpus frequency: the frequency weights need it.
const ranks = [];
for (let rank = 0; rank < source.words.length && words.length < vocabulary; rank++) {
  const w = source.words[rank];
  // Only words as the text analyser folds them (lower case, letters and digits, no accents) can ever be looked up.
  if (!/^[a-z0-9]+$/.test(w) || !source.vectors[w]) continue;
  words.push(w);
  ranks.push(rank);
}
const rows = new Float32Array(words.length * D);
words.forEach((w, i) => {
  const v = source.vectors[w];
  let n = 0;
  for (let d = 0; d < D; d++) n += v[d] * v[d];
  n = Math.sqrt(n) || 1;
  for (let d = 0; d < D; d++) rows[i * D + d] = v[d] / n;
});
const header = Buffer.from(
  JSON.stringify({ format: 1, version, dimensions: D, sourceSize: source.size, words, ranks }),
);
const pad = (4 - ((4 + header.length) % 4)) % 4;
const bytes = Buffer.concat([
  Buffer.from(Uint32Array.of(header.length + pad).buffer),
  header,
  Buffer.alloc(pad, 0x20),
  Buffer.from(rows.buffer),
]);
let written = false;
try {
  await fs.mkdir(path.dirname(cacheFile), { recursive: true });
  const tmp = `${cacheFile}.${process.pid}.${Date.now()}.tmp`;
  await fs.writeFile(tmp, bytes);
  await fs.rename(tmp, cacheFile); // atomic: a reader sees the old state or the whole file
  written = true;
} catch {
  // Read-only install: the vectors are still used, converted again on the next start.
}
parentPort.postMessage({ bytes, written });
