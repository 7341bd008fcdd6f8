import { readFileSync } from 'node:fs';
import path from 'node:path';
import { currentSnapshotDir, readSnapshot } from '../core/indexing/snapshot.ts';
import { HashingEmbedder } from '../core/search/hashingEmbedder.ts';
import { HnswVectorIndex } from '../core/search/hnswVectorIndex.ts';
import type { VectorIndex } from '../core/search/ports.ts';
import { ScanVectorIndex } from '../core/search/scanVectorIndex.ts';

/**
 * How near the vector indexes come to the true nearest vectors, and what a
 * search costs: hnswlib's graph (as served at ef 200) and the int8 scan, both
 * made from one snapshot's vectors, against an exact float64 cosine over
 * every vector, on a realistic KB's questions (bench/realisticKb.ts).
 *
 *   npx tsx bench/vectorRecall.ts DATA_DIR QUESTIONS_JSON [N=1000] [EXACT=200]
 *
 * The snapshot must hold its vectors (vectors.f32: every build writes it).
 * Prints recall@40 and first-hit agreement with the exact search over the
 * first EXACT questions, and CPU µs per search over the first N (two rounds).
 */
async function main(): Promise<void> {
  const [dataDir, questionsFile, n = '1000', exactN = '200'] = process.argv.slice(2);
  if (!dataDir || !questionsFile)
    throw new Error('usage: npx tsx bench/vectorRecall.ts DATA_DIR QUESTIONS_JSON [N] [EXACT]');
  const dir = await currentSnapshotDir(dataDir);
  if (!dir) throw new Error(`no snapshot in ${dataDir}`);
  const snapshot = await readSnapshot(dir);
  const dims = snapshot.manifest.embedder.dimensions;
  const { items, vectors } = snapshot;
  const graph = HnswVectorIndex.build(dims, items, vectors);
  const scan = ScanVectorIndex.build(dims, items, vectors);
  const embedder = new HashingEmbedder(dims);
  const questions = (JSON.parse(readFileSync(questionsFile, 'utf8')) as { text: string }[]).slice(0, Number(n));
  const queries = questions.map((q) => embedder.embedOne(q.text, 'en'));

  const cpuPerSearch = (index: VectorIndex) => {
    const started = process.cpuUsage();
    for (let round = 0; round < 2; round++) for (const q of queries) index.search(q, 40);
    const used = process.cpuUsage(started);
    return (used.user + used.system) / (2 * queries.length);
  };
  const costs = { graph: cpuPerSearch(graph), scan: cpuPerSearch(scan) };

  const norms = vectors.map((v) => Math.sqrt(v.reduce((s, x) => s + x * x, 0)) || 1);
  const agreement = { graph: { recall: 0, first: 0 }, scan: { recall: 0, first: 0 } };
  const exactQueries = queries.slice(0, Number(exactN));
  for (const q of exactQueries) {
    const qn = Math.sqrt(q.reduce((s, x) => s + x * x, 0)) || 1;
    const exact = vectors
      .map((v, label) => {
        let dot = 0;
        for (let d = 0; d < dims; d++) dot += v[d]! * q[d]!;
        return { label, similarity: dot / (norms[label]! * qn) };
      })
      .sort((a, b) => b.similarity - a.similarity || a.label - b.label)
      .slice(0, 40);
    const truth = new Set(exact.map((x) => x.label));
    for (const [name, index] of [
      ['graph', graph],
      ['scan', scan],
    ] as const) {
      const found = index.search(q, 40).map((h) => h.item.label);
      agreement[name].recall += found.filter((l) => truth.has(l)).length / 40;
      if (found[0] === exact[0]!.label) agreement[name].first++;
    }
  }
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(', ');
  console.log(`${path.basename(dir)}: ${vectors.length} vectors of ${dims} dimensions; load average ${load}`);
  console.log('| index | recall@40 | first hit exact | CPU µs per search |\n|---|---:|---:|---:|');
  for (const name of ['graph', 'scan'] as const)
    console.log(
      `| ${name} | ${((100 * agreement[name].recall) / exactQueries.length).toFixed(1)} % | ${agreement[name].first} of ${exactQueries.length} | ${costs[name].toFixed(0)} |`,
    );
}

await main();
