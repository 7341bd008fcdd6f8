import path from 'node:path';
import { centroidsOf } from '../core/indexing/kbIndex.ts';
import { ArticleCentroids } from '../core/search/articleCentroids.ts';
import { servedArticle } from '../core/articles/servedArticle.ts';
import {
  currentSnapshotDir,
  FILES,
  readFullTextLines,
  readSnapshot,
  vectorIndexOf,
} from '../core/indexing/snapshot.ts';
import { TermModel, termDocOf } from '../core/answers/lexical/termModel.ts';
import { readVectorIndex } from '../core/search/vectorIndexes.ts';
import { MiniSearchIndex } from '../core/search/miniSearchIndex.ts';
import { configuredWordVectors } from './wordVectors.ts';

/**
 * Where a loaded index's memory and load time go, structure by structure:
 * the snapshot is opened the way `openSnapshot` opens it (stored models
 * restored; fitted only in an older snapshot), one structure at a time, and
 * the process's memory is read after a full GC between steps, with the CPU
 * each step took. Needs --expose-gc:
 *
 *   node --expose-gc --import tsx bench/memoryProfile.ts DATA_DIR
 *
 * Figures are what each structure adds while the earlier ones stay alive
 * (heap: JS objects; external: typed arrays and Buffers, outside the heap;
 * RSS also counts native memory such as hnswlib's graph, and what the
 * allocator has not given back yet).
 */
export async function profileMemory(
  dataDir: string,
): Promise<{ step: string; heapMb: number; externalMb: number; rssMb: number; cpuS: number }[]> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc');
  const dir = await currentSnapshotDir(dataDir);
  if (!dir) throw new Error(`no snapshot in ${dataDir}`);
  const rows: { step: string; heapMb: number; externalMb: number; rssMb: number; cpuS: number }[] = [];
  let last = process.memoryUsage();
  let cpu = process.cpuUsage();
  const mark = (step: string) => {
    // CPU before the GC: what the step itself cost.
    const used = process.cpuUsage(cpu);
    gc();
    gc();
    const now = process.memoryUsage();
    rows.push({
      step,
      heapMb: (now.heapUsed - last.heapUsed) / 1e6,
      externalMb: (now.external - last.external) / 1e6,
      rssMb: (now.rss - last.rss) / 1e6,
      cpuS: (used.user + used.system) / 1e6,
    });
    last = now;
    cpu = process.cpuUsage();
  };
  mark('start');
  const wordVectors = await configuredWordVectors();
  mark('word vectors (GloVe, shared by every snapshot)');
  const data = await readSnapshot(dir, { vectors: 'if-needed' });
  mark(
    `snapshot files read (format ${data.manifest.format}: ${data.articles.length} articles, ${data.items.length} items${data.vectors ? ', vectors' : ''})`,
  );
  const fullText = MiniSearchIndex.fromJsonLines(readFullTextLines(dir), data.manifest.synonyms);
  mark('MiniSearch index');
  // Kept sparse, as indexFromData keeps them; the dense ones read are dropped.
  const stored = !!data.centroids;
  const centroids =
    data.centroids ?? ArticleCentroids.from(centroidsOf(data.items, data.vectors!, data.manifest.embedder.dimensions));
  data.centroids = undefined;
  mark(`embedder centroids (${stored ? 'stored' : 'summed from the vectors'}, kept sparse)`);
  // As indexFromData holds them: chunks without their texts, which the restored model does not read.
  const articles = data.termModel ? data.articles.map(servedArticle) : data.articles;
  data.articles = [];
  const docs = articles.map(termDocOf);
  const terms = data.termModel
    ? TermModel.restore(docs, data.termModel, { saved: data.classifier, wordVectors })
    : TermModel.build(docs, { saved: data.classifier, wordVectors });
  mark(
    `term model (${data.termModel ? 'restored' : 'fitted'}: feature space, units, centroids, bags, speller, classifier)`,
  );
  const { kind, file } = vectorIndexOf(data.manifest);
  const graph = await readVectorIndex(kind, path.join(dir, file), data.manifest.embedder.dimensions, data.items);
  mark(kind === 'scan' ? 'vector scan (int8)' : 'hnswlib graph');
  const keep = [fullText, centroids, terms, graph, wordVectors, articles];
  const total = process.memoryUsage();
  rows.push({
    step: 'total',
    heapMb: total.heapUsed / 1e6,
    externalMb: total.external / 1e6,
    rssMb: total.rss / 1e6,
    cpuS: rows.reduce((sum, r) => sum + r.cpuS, 0),
  });
  void keep;
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = await profileMemory(process.argv[2] ?? 'data');
  console.log('| Step | Heap MB | External MB | RSS MB | CPU s |\n|---|---|---|---|---|');
  for (const r of rows)
    console.log(
      `| ${r.step} | ${r.heapMb.toFixed(0)} | ${r.externalMb.toFixed(0)} | ${r.rssMb.toFixed(0)} | ${r.cpuS.toFixed(2)} |`,
    );
}
