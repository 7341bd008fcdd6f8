import { promises as fs } from 'node:fs';
import type { Lang } from '../contracts/api.ts';
import { kbStamp, loadKnowledgeBase } from '../articles/loadKb.ts';
import type { Article, ArticleProblem } from '../articles/types.ts';
import { UNCALIBRATED } from '../answers/pipeline/calibration.ts';
import {
  calibrate,
  leftOutBeside,
  prepareCalibration,
  prepareCalibrationBeside,
  type CalibrationPlan,
} from '../answers/pipeline/coverage.ts';
import { IndexMismatchError } from '../errors.ts';
import {
  buildVectorIndex,
  startVectorFeed,
  vectorIndexKindFor,
  type StoredVectorIndex,
} from '../search/vectorIndexes.ts';
import { MiniSearchIndex } from '../search/miniSearchIndex.ts';
import type { Embedder, VectorItem, WordVectors } from '../search/ports.ts';
import { log } from '../logger.ts';
import type { PublishedSnapshot, SnapshotPublication } from '../storage/ports.ts';
import { BuildStages, type BuildStage } from './buildStages.ts';
import { buildingFilesFor, removeFiles } from './buildingFiles.ts';
import { StreamedCentroids } from './centroidSums.ts';
import { FoldClassifierThread } from './foldClassifierThread.ts';
import { indexFromData, type KbIndex } from './kbIndex.ts';
import { unpackVectors } from './snapshotVectors.ts';
import { SnapshotWriter } from './snapshotWriter.ts';
import { TermModelThread } from './termModelThread.ts';
import { searchDocumentOf } from './searchDocument.ts';
import {
  currentSnapshotDir,
  FILES,
  readSnapshot,
  SNAPSHOT_FORMAT,
  vectorIndexOf,
  type Manifest,
  type SnapshotData,
  type StoredSnapshot,
} from './snapshot.ts';

export { searchDocumentOf } from './searchDocument.ts';

export interface BuildOptions {
  kbDir: string;
  /** Where to publish the snapshot; omit to build in memory only (eval, tests). */
  dataDir?: string;
  embedder: Embedder;
  /** Pre-trained word vectors for the lexical model (optional). */
  wordVectors?: WordVectors | null;
  defaultLang: Lang;
  /** Ignore the previous snapshot: re-embed everything (and allow a new embedder). */
  rebuild?: boolean;
  onProgress?: (done: number, total: number) => void;
  /** Where the built snapshot is published for every instance (with dataDir; PostgreSQL when shared). */
  publication?: SnapshotPublication;
  /** Fit the term model on a worker thread from this many articles (`TERM_WORKER_MIN_ARTICLES`; Infinity: never). */
  termWorkerMinArticles?: number;
  /** A second thread helps that worker find the classifier's rivals from this many articles (`RIVALS_HELPER_MIN_ARTICLES`). */
  rivalsHelperMinArticles?: number;
  /** Retrain the calibration folds on two threads from this many articles (FOLD_WORKER_MIN_ARTICLES; Infinity: never). */
  foldWorkerMinArticles?: number;
}

export interface BuildSummary {
  articles: number;
  chunks: number;
  vectors: number;
  embedded: number;
  reused: number;
  removed: number;
  problems: ArticleProblem[];
  ms: number;
  snapshotDir: string | null;
  /** The publication's record of the snapshot, when `publication` was given. */
  published?: PublishedSnapshot;
  index: KbIndex;
  /** Where the build's time went: the main thread's stages in order, then the graph's worker. */
  stages: readonly BuildStage[];
}

const EMBED_BATCH = 64;

/**
 * KB folder → validated articles → chunks → vectors → full-text and vector
 * indexes → calibration → a published snapshot. Articles whose content hash
 * is unchanged keep their vectors from the previous snapshot.
 */
export async function buildIndex(options: BuildOptions): Promise<BuildSummary> {
  const started = performance.now();
  const stages = new BuildStages();
  // Stamped before reading: an article written while the build reads the others makes the snapshot stale, as it is.
  const stamp = await kbStamp(options.kbDir);
  const kb = await loadKnowledgeBase(options.kbDir, { defaultLang: options.defaultLang });
  let previous = options.rebuild || !options.dataDir ? null : await previousVectors(options.dataDir, options.embedder);

  const items: (VectorItem & { hash: string })[] = [];
  for (const a of kb.articles) {
    for (const unit of unitsOf(a)) items.push({ label: items.length, articleId: a.id, hash: a.hash, ...unit });
  }
  const langOf = new Map(kb.articles.map((a) => [a.id, a.lang]));
  const dims = options.embedder.dimensions;
  // Each vector is kept only until the ones before it are done: then it goes to the vector file, which the graph's
  // worker reads (the graph grows while the embedding goes on), and into its article's centroid.
  const vectors: (Float32Array | undefined)[] = new Array(items.length);
  const toEmbed: number[] = [];
  items.forEach((item, i) => {
    const old = previous?.get(`${item.articleId}\u0000${item.hash}\u0000${item.kind}\u0000${item.text}`);
    if (old) vectors[i] = old;
    else toEmbed.push(i);
  });
  stages.end('read the KB');
  // Started now, it has loaded (tsx and all) by the time the classifier's training is known.
  const foldThread = FoldClassifierThread.start(kb.articles.length, { minArticles: options.foldWorkerMinArticles });
  // The term model reads the articles' texts only: fitted on another core from now, beside the embedding. Its
  // worker sends the folds' worker the classifier's training as soon as it has it.
  const termThread = TermModelThread.start(kb.articles, options.wordVectors ?? null, {
    minArticles: options.termWorkerMinArticles,
    helperMinArticles: options.rivalsHelperMinArticles,
    folds: foldThread,
  });
  // Known from the articles: the folds' worker retrains as soon as the training comes, while the term model's worker
  // trains the classifier itself (at 100k articles the build's thread waited 12 s for it after the model).
  foldThread?.holdOut(leftOutBeside(kb.articles));
  const files = await buildingFilesFor(options.dataDir);
  const kind = vectorIndexKindFor(options.embedder, items.length);
  const feed = await startVectorFeed(kind, dims, items, files);
  const centroids = new StreamedCentroids(dims);
  let sent = 0;
  const send = async () => {
    const run: Float32Array[] = [];
    for (let i = sent; i < items.length && vectors[i]; i++) run.push(vectors[i]!);
    await feed.append(run);
    for (const v of run) {
      centroids.add(items[sent]!, v);
      vectors[sent++] = undefined;
    }
  };
  try {
    await send();
    for (let start = 0; start < toEmbed.length; start += EMBED_BATCH) {
      const batch = toEmbed.slice(start, start + EMBED_BATCH);
      // Embed per language so stemming matches the article's language.
      for (const lang of ['es', 'en'] as const) {
        const ids = batch.filter((i) => langOf.get(items[i]!.articleId) === lang);
        if (!ids.length) continue;
        const out = await options.embedder.embed(
          ids.map((i) => items[i]!.text),
          'passage',
          lang,
        );
        ids.forEach((i, k) => (vectors[i] = out[k]!));
      }
      await send();
      options.onProgress?.(Math.min(start + EMBED_BATCH, toEmbed.length), toEmbed.length);
    }
  } catch (error) {
    termThread?.stop();
    foldThread?.stop();
    await feed.abort();
    await removeFiles(files);
    throw error;
  }
  // The reused vectors are in the file now; only their articles' ids are needed still, for the count of removed ones.
  const previousIds = previous ? new Set([...previous.keys()].map((k) => k.split('\u0000')[0])) : new Set<string>();
  previous = null;
  stages.end('embed');

  // A vector graph is built on another core while this one builds the full-text index and fits the term model (a
  // scan is done already).
  const workerGraph = feed
    .end()
    .then(() => feed.index(items))
    .catch((error: unknown) => {
      log.warn('index', 'building the vector index beside the build failed; building it here', { error });
      return null;
    });
  const manifest: Manifest = {
    format: SNAPSHOT_FORMAT,
    createdAt: new Date().toISOString(),
    kbRoot: options.kbDir,
    embedder: { id: options.embedder.id, dimensions: options.embedder.dimensions },
    articleCount: kb.articles.length,
    itemCount: items.length,
    hashes: Object.fromEntries(kb.articles.map((a) => [a.id, a.hash])),
    synonyms: kb.synonyms,
    ...(kb.routing ? { routing: kb.routing } : {}),
    ...(kb.sla ? { sla: kb.sla } : {}),
    calibration: UNCALIBRATED,
    kbStamp: stamp,
    wordVectors: options.wordVectors?.id ?? null,
    vectorIndex: kind,
  };
  const data: SnapshotData = {
    manifest,
    articles: kb.articles,
    items,
    // In the vector file (files.vectors), which the snapshot takes in.
    vectors: null,
    // Only written: the index served is the one this text loads (MiniSearch's loaded tree lists its terms otherwise
    // than the built one, which orders a search's ties), loaded when first searched (see indexFromData). Loading it
    // here too, for nothing in the build searches, held ~500 MB to the end of a 100k build.
    fullTextJson: MiniSearchIndex.build(kb.articles.map(searchDocumentOf), kb.synonyms).toJSON(),
    // Stored so that loading the snapshot reads them rather than summing every vector again.
    centroids: centroids.finish(),
  };
  // The snapshot's files are written while this thread waits: the KB's while the term model is fitted, the vectors
  // and a worker's vector index once they are there, the term model's during the calibration folds. Written after
  // the calibration, they were on its critical path (11 s at 100k articles).
  const writer = options.dataDir ? SnapshotWriter.start(options.dataDir) : undefined;
  let early = writer?.then(async (snapshot) => (await snapshot.writeKb(data), snapshot));
  // Awaited below; until then a failure must not count as unhandled.
  early?.catch(() => undefined);
  // The vector file moves in with the vector index, synced: a graph's worker wrote the graph, which moves in too.
  const moveVectors = async (snapshot: SnapshotWriter, putIndex: (file: string) => Promise<void>) => {
    await snapshot.take(FILES.vectors, (file) => fs.rename(files.vectors, file));
    await snapshot.take(vectorIndexOf(manifest).file, putIndex);
    return true;
  };
  const movedEarly =
    writer &&
    Promise.all([writer, workerGraph]).then(
      ([snapshot, g]) =>
        g && moveVectors(snapshot, (file) => (kind === 'hnsw' ? fs.rename(files.graph, file) : g.write(file))),
    );
  movedEarly?.catch(() => undefined);
  // The calibration's folds retrain the classifier without the vectors, while the worker finishes the graph (at 10k
  // articles this thread used to wait for it idle, then retrain): the first here, the others on the folds' worker.
  let planning: Promise<CalibrationPlan> | undefined;
  let index: KbIndex;
  try {
    index = await indexFromData(
      data,
      options,
      null,
      workerGraph.then(
        async (g) => g ?? buildVectorIndex(kind, dims, items, unpackVectors(await fs.readFile(files.vectors), dims)),
      ),
      (partial) => {
        data.classifier = partial.terms.saveClassifier() ?? undefined;
        // Stored so that loading the snapshot reads it rather than fitting it again (a minute of CPU at 10k articles).
        data.termModel = partial.terms.parts();
        early = early?.then(async (snapshot) => (await snapshot.writeModels(data), snapshot));
        early?.catch(() => undefined);
        planning = foldThread
          ? prepareCalibrationBeside(partial, foldThread.retrain)
          : Promise.resolve(prepareCalibration(partial));
        planning.catch(() => undefined);
        stages.end('calibration folds');
      },
      stages,
      termThread?.fitted,
    );
    if (kind === 'hnsw') stages.end('wait for the graph');
    if (!options.dataDir) await removeFiles(files);
    // A graph built here after its worker failed is written here; the vectors move in with it.
    const moved = early?.then(async (snapshot) => {
      if (!(await movedEarly)) await moveVectors(snapshot, (file) => (index.vectors as StoredVectorIndex).write(file));
      return snapshot;
    });
    moved?.catch(() => undefined);
    const plan = await planning;
    if (foldThread) stages.end('wait for the folds');
    manifest.calibration = await calibrate(index, options.defaultLang, plan);
    stages.end('calibration');
    index.snapshotDir = moved ? await (await moved).publish(manifest) : null;
    stages.end('write the snapshot');
  } catch (error) {
    termThread?.stop();
    foldThread?.stop();
    // The unfinished folder is this process's: no later publish would prune it.
    await writer?.then((snapshot) => snapshot.discard()).catch(() => undefined);
    throw error;
  }
  // Only a graph's worker writes its index to a file.
  const graphInFile = kind === 'hnsw' && (await workerGraph) !== null;
  const { snapshotDir } = index;
  const published = snapshotDir && options.publication ? await options.publication.publish(snapshotDir) : undefined;
  if (published) stages.end('publish');
  // From the feed's start, during the embedding, to the worker's end: beside the main thread's stages, not after them.
  if (graphInFile && feed.wallMs !== null)
    stages.add({ name: 'vector graph', thread: 'graph worker', wallMs: feed.wallMs, cpuMs: feed.workerCpuMs });
  if (termThread?.wallMs != null)
    stages.add({ name: 'term model', thread: 'term worker', wallMs: termThread.wallMs, cpuMs: termThread.cpuMs });
  // Ended by now (its share was done before the fit's end): awaited so that its exit is not left behind.
  const helper = await termThread?.helperEnded();
  if (helper) stages.add({ name: "term model's rivals", thread: 'rivals helper', ...helper });
  // Unused (one fold, or a failure) it still waits: ended here.
  foldThread?.stop();
  if (foldThread?.wallMs != null)
    stages.add({
      name: 'calibration folds',
      thread: 'fold worker',
      wallMs: foldThread.wallMs,
      cpuMs: foldThread.cpuMs,
    });
  const currentIds = new Set(kb.articles.map((a) => a.id));
  return {
    articles: kb.articles.length,
    chunks: kb.articles.reduce((n, a) => n + a.chunks.length, 0),
    vectors: items.length,
    embedded: toEmbed.length,
    reused: items.length - toEmbed.length,
    removed: [...previousIds].filter((id) => !currentIds.has(id!)).length,
    problems: kb.problems,
    ms: Math.round(performance.now() - started),
    snapshotDir,
    ...(published ? { published } : {}),
    index,
    stages: stages.stages,
  };
}

/** The texts we embed for one article: its title, each question, each chunk (with the title for context). */
export function unitsOf(a: Article): { kind: VectorItem['kind']; text: string }[] {
  const units: { kind: VectorItem['kind']; text: string }[] = [{ kind: 'title', text: a.title }];
  for (const q of a.questions) units.push({ kind: 'question', text: q });
  for (const c of a.chunks)
    units.push({ kind: 'chunk', text: [a.title, c.heading, c.text].filter(Boolean).join('\n') });
  return units;
}

async function previousVectors(dataDir: string, embedder: Embedder): Promise<Map<string, Float32Array> | null> {
  const dir = await currentSnapshotDir(dataDir).catch(() => null);
  if (!dir) return null;
  let data: StoredSnapshot & { vectors: Float32Array[] };
  try {
    data = await readSnapshot(dir);
  } catch {
    return null; // unreadable: rebuild from the KB, nothing to reuse
  }
  if (data.manifest.embedder.id !== embedder.id) {
    throw new IndexMismatchError(
      `the current index was built with embedder '${data.manifest.embedder.id}' and '${embedder.id}' is configured; vectors of different embedders cannot be mixed: re-index with \`npm run index -- --rebuild\``,
    );
  }
  const map = new Map<string, Float32Array>();
  data.items.forEach((item, i) =>
    map.set(`${item.articleId}\u0000${item.hash}\u0000${item.kind}\u0000${item.text}`, data.vectors[i]!),
  );
  return map;
}
