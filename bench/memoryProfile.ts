import path from 'node:path';
import { centroidsOf } from '../core/indexing/kbIndex.ts';
import { ArticleCentroids } from '../core/search/articleCentroids.ts';
import { dropBodies, servedArticle } from '../core/articles/servedArticle.ts';
import {
  currentSnapshotDir,
  FILES,
  readFullTextLines,
  readSnapshot,
  vectorIndexOf,
} from '../core/indexing/snapshot.ts';
import { TermModel, termDocOf } from '../core/answers/lexical/termModel.ts';
import { readVectorIndex } from '../core/search/vectorIndexes.ts';
import { ScanVectorIndex } from '../core/search/scanVectorIndex.ts';
import { MiniSearchIndex } from '../core/search/miniSearchIndex.ts';
import { HashingEmbedder } from '../core/search/hashingEmbedder.ts';
import { openSnapshot } from '../core/indexing/kbIndex.ts';
import { SharedFiles, type SnapshotFiles } from '../core/indexing/snapshotFiles.ts';
import { AnswerEngine } from '../core/answers/pipeline/answerEngine.ts';
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
 *
 * The binary files are read into shared memory, as `openSnapshot` reads
 * them; then a second open (`openSnapshot`) is given those files, as a
 * worker thread is: its row is what a second engine thread's snapshot adds,
 * and the next what it adds once it answers.
 * `--unshared` adds a third open that reads its own files, for comparison.
 */
interface Row {
  step: string;
  heapMb: number;
  externalMb: number;
  /** Shared memory (the snapshot's files, and the scans' scratch pages in the scan's memory). */
  sharedMb: number;
  rssMb: number;
  cpuS: number;
}

export async function profileMemory(dataDir: string, options: { unshared?: boolean } = {}): Promise<Row[]> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc');
  const dir = await currentSnapshotDir(dataDir);
  if (!dir) throw new Error(`no snapshot in ${dataDir}`);
  const rows: Row[] = [];
  // Shared memory is in no figure of process.memoryUsage() but RSS: counted apart, each buffer once.
  const sharedFiles: SnapshotFiles[] = [];
  const sharedBytes = () =>
    [...new Set(sharedFiles.flatMap((files) => [...files.values()]))].reduce(
      (n, held) => n + (held instanceof WebAssembly.Memory ? held.buffer : held).byteLength,
      0,
    );
  let last = { ...process.memoryUsage(), shared: 0 };
  let cpu = process.cpuUsage();
  const mark = (step: string) => {
    // CPU before the GC: what the step itself cost.
    const used = process.cpuUsage(cpu);
    gc();
    gc();
    const now = { ...process.memoryUsage(), shared: sharedBytes() };
    rows.push({
      step,
      heapMb: (now.heapUsed - last.heapUsed) / 1e6,
      externalMb: (now.external - last.external) / 1e6,
      sharedMb: (now.shared - last.shared) / 1e6,
      rssMb: (now.rss - last.rss) / 1e6,
      cpuS: (used.user + used.system) / 1e6,
    });
    last = now;
    cpu = process.cpuUsage();
  };
  mark('start');
  const wordVectors = await configuredWordVectors();
  mark('word vectors (GloVe, shared by every snapshot)');
  const shared = new SharedFiles(dir);
  sharedFiles.push(shared.files);
  const data = await readSnapshot(dir, { vectors: 'if-needed', files: shared });
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
  const { dimensions } = data.manifest.embedder;
  const graph =
    kind === 'scan'
      ? await ScanVectorIndex.fromImage(await shared.scanImage(file, dimensions), file, dimensions, data.items)
      : await readVectorIndex(kind, path.join(dir, file), dimensions, data.items);
  mark(kind === 'scan' ? 'vector scan (int8)' : 'hnswlib graph');
  const keep: unknown[] = [fullText, centroids, terms, graph, wordVectors, articles];
  // Made by its first answers; made here, so the second open's rows below are what a thread adds.
  const columns = terms.sharedColumns();
  mark("the term model's columns of the commonest features (its first answers make them; shared with threads)");
  const embedder = new HashingEmbedder();
  const second = await openSnapshot(dir, embedder, wordVectors, { files: shared.files, fullText: 'later' });
  // As an engine thread is given them: the first's columns.
  second.terms.useColumns(columns);
  dropBodies(second.articles.values());
  keep.push(second);
  sharedFiles.push(second.files!);
  mark(
    `second open (openSnapshot), as a thread opens it: without the full-text index or the articles' bodies, with the first's columns and shared files (${[...shared.files.keys()].join(', ')})`,
  );
  // What a thread adds once it answers: the classifier's kernels copy its weights into their own memories.
  const engine = new AnswerEngine(() => second, { defaultLang: 'en' });
  for (const question of ['I forgot my password', 'the printer does not print', 'como cambio mi contraseña'])
    await engine.answer({ question });
  mark("the second open's first answers (its classifier kernels' copies of the weights, the engine's scratch)");
  if (options.unshared) {
    const third = await openSnapshot(dir, embedder, wordVectors);
    keep.push(third);
    sharedFiles.push(third.files!);
    mark('third open (openSnapshot) reading its own files');
  }
  const total = process.memoryUsage();
  rows.push({
    step: 'total',
    heapMb: total.heapUsed / 1e6,
    externalMb: total.external / 1e6,
    sharedMb: sharedBytes() / 1e6,
    rssMb: total.rss / 1e6,
    cpuS: rows.reduce((sum, r) => sum + r.cpuS, 0),
  });
  void keep;
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const rows = await profileMemory(args.find((a) => !a.startsWith('--')) ?? 'data', {
    unshared: args.includes('--unshared'),
  });
  console.log('| Step | Heap MB | External MB | Shared MB | RSS MB | CPU s |\n|---|---|---|---|---|---|');
  for (const r of rows)
    console.log(
      `| ${r.step} | ${r.heapMb.toFixed(0)} | ${r.externalMb.toFixed(0)} | ${r.sharedMb.toFixed(0)} | ${r.rssMb.toFixed(0)} | ${r.cpuS.toFixed(2)} |`,
    );
}
