import path from 'node:path';
import { servedArticle } from '../articles/servedArticle.ts';
import type { Article } from '../articles/types.ts';
import { IndexMismatchError } from '../errors.ts';
import { ArticleCentroids } from '../search/articleCentroids.ts';
import { readVectorIndex, type StoredVectorIndex } from '../search/vectorIndexes.ts';
import { ScanVectorIndex } from '../search/scanVectorIndex.ts';
import { MiniSearchIndex } from '../search/miniSearchIndex.ts';
import { DeferredFullTextIndex, type FullTextSource } from '../search/deferredFullTextIndex.ts';
import type { Embedder, FullTextIndex, VectorItem, WordVectors } from '../search/ports.ts';
import type { RetrievalIndex } from '../answers/pipeline/retrieve.ts';
import { TermModel, termDocOf } from '../answers/lexical/termModel.ts';
import type { ClassifierTraining } from '../answers/learners/phraseClassifier.ts';
import { SynonymTable } from '../search/synonyms.ts';
import { log } from '../logger.ts';
import type { BuildStages } from './buildStages.ts';
import type { FittedTerms } from './termModelThread.ts';
import { centroidsOf } from './centroidSums.ts';
import { searchDocumentOf } from './searchDocument.ts';
import { SharedFiles, type SnapshotFiles } from './snapshotFiles.ts';
import {
  FILES,
  readFullTextLines,
  readManifest,
  readSnapshot,
  vectorIndexOf,
  type Manifest,
  type SnapshotData,
  type StoredSnapshot,
} from './snapshot.ts';

/** A loaded, searchable index: what the answer engine works on. */
export interface KbIndex extends RetrievalIndex {
  manifest: Manifest;
  snapshotDir: string | null;
  /**
   * The snapshot's binary files as an open read them into shared memory:
   * `openSnapshot(snapshotDir, …, { files })` in another thread opens the
   * same snapshot over the same bytes. Absent from a build's index.
   */
  readonly files?: SnapshotFiles;
}

export { centroidsOf } from './centroidSums.ts';

export interface IndexModels {
  embedder: Embedder;
  /** Pre-trained word vectors for the lexical model, when configured and installed. */
  wordVectors?: WordVectors | null;
}

/** Build the in-memory index from a build's snapshot data. */
export async function indexFromData(
  data: SnapshotData,
  models: IndexModels,
  snapshotDir: string | null,
  graph?: StoredVectorIndex | Promise<StoredVectorIndex>,
  /** Work for this thread while the graph is still building (a build's calibration folds): the index but its vectors. */
  beforeGraph?: (index: Omit<KbIndex, 'vectors'>) => void,
  /** A build's stage timings: the full-text index and the term model end here. */
  stages?: BuildStages,
  /** The term model fitted on another thread (`TermModelThread`): restored from it, else (null) fitted here. */
  fittedTerms?: Promise<FittedTerms | null>,
): Promise<KbIndex> {
  return assemble(
    data,
    models,
    snapshotDir,
    // Loaded from its JSON at the first search (a build's own index is never searched), as a warm start loads it.
    () => new DeferredFullTextIndex(builtFullTextSource(data), data.articles.length),
    graph,
    beforeGraph,
    stages,
    fittedTerms,
  );
}

/** The in-memory index from snapshot files and a full-text index made once the embedder is known to fit. */
async function assemble(
  data: StoredSnapshot,
  models: IndexModels,
  snapshotDir: string | null,
  fullText: () => FullTextIndex,
  graph?: StoredVectorIndex | Promise<StoredVectorIndex>,
  beforeGraph?: (index: Omit<KbIndex, 'vectors'>) => void,
  stages?: BuildStages,
  fittedTerms?: Promise<FittedTerms | null>,
): Promise<KbIndex> {
  const { manifest } = data;
  const { embedder } = models;
  if (manifest.embedder.id !== embedder.id || manifest.embedder.dimensions !== embedder.dimensions) {
    throw new IndexMismatchError(
      `the index was built with embedder '${manifest.embedder.id}' (${manifest.embedder.dimensions} dimensions) but '${embedder.id}' (${embedder.dimensions}) is configured: re-index with \`npm run index -- --rebuild\``,
    );
  }
  // The graph loads (or builds, in a worker) while this thread fits the models below: awaited last.
  const vectors = graph ?? readVectorsOf(snapshotDir!, manifest, data.items);
  // Served articles keep no chunk texts (they repeat the body: see servedArticle); the caller's data keeps its own.
  const articles = data.articles.map(servedArticle);
  const byId = new Map<string, Article>(articles.map((a) => [a.id, a]));
  const fullTextIndex = fullText();
  stages?.end('full-text index');
  const centroids =
    data.centroids ?? ArticleCentroids.from(centroidsOf(data.items, vectorsOf(data), manifest.embedder.dimensions));
  // Awaited last; a failure meanwhile (while this thread waits for the term model) must not count as unhandled.
  Promise.resolve(vectors).catch(() => undefined);
  const fitted = fittedTerms && (await fittedTerms);
  if (fittedTerms) stages?.end('wait for the term model');
  // Fitted on another thread: restored, as a warm start restores termmodel.bin (the same model, over the served
  // articles). Else fitted here.
  const stored = fitted ? { ...data, termModel: fitted.parts, classifier: fitted.classifier } : data;
  const terms = termsOf(stored, articles, models.wordVectors ?? null, fitted ? null : snapshotDir, fitted?.training);
  stages?.end(fitted ? 'restore the term model' : 'term model');
  const index = {
    manifest,
    snapshotDir,
    articles: byId,
    fullText: fullTextIndex,
    centroids,
    embedder,
    terms,
    synonyms: new SynonymTable(manifest.synonyms),
  };
  beforeGraph?.(index);
  return { ...index, vectors: await vectors };
}

/**
 * Open the snapshot in `dir`: what it stores is read, not fitted again
 * (format 2; see `Manifest.format`). `fullText: 'later'` (a server's start)
 * leaves the full-text index to a `DeferredFullTextIndex`, loaded at the
 * first search or a little after the server listens (`startDeferredLoads`); `'now'`
 * (the default: a new snapshot while serving, the CLI, the eval) loads it
 * before returning. Either way an unreadable fulltext.json is rebuilt from
 * the articles rather than failing the snapshot.
 *
 * The binary files (models, vector scan, items) are read into shared memory
 * and listed in the index's `files`; given `files` (another open's, posted
 * from another thread), each file there is taken from it instead of read,
 * so the stored models and the scan are views on the same memory. A file
 * not there is read as usual; a damaged one is treated as on disk.
 *
 * `bodies: false` (an engine thread, which answers without them) reads every
 * article's body, headings and links as empty, each let go of as its article
 * is parsed: nothing is fitted from them (a lexical model that must be
 * throws `BodiesLeftOutError`), and its full-text index is for later, never
 * loaded.
 */
export async function openSnapshot(
  dir: string,
  embedder: Embedder,
  wordVectors: WordVectors | null = null,
  options: { fullText?: 'now' | 'later'; files?: SnapshotFiles; bodies?: boolean } = {},
): Promise<KbIndex> {
  if (options.bodies === false && options.fullText !== 'later')
    throw new Error('an index opened without bodies has no full-text index to load now');
  const manifest = await readManifest(dir);
  const shared = new SharedFiles(dir, options.files);
  const data = readSnapshot(dir, { vectors: 'if-needed', manifest, files: shared, bodies: options.bodies });
  // The graph (300 MB at 10k articles, 1.5 s) loads on libuv's pool from the
  // start, while this thread reads and decodes the rest: started after them,
  // it left the thread idle at the end of a warm start. Only for the
  // configured embedder: hnswlib does not check a file's dimensions, and a
  // mismatch is refused by indexFromData.
  const graph =
    manifest.embedder.id === embedder.id && manifest.embedder.dimensions === embedder.dimensions
      ? readVectorsOf(
          dir,
          manifest,
          data.then((d) => d.items),
          shared,
        )
      : undefined;
  // Awaited by indexFromData; until then a failure (or one of readSnapshot's) must not count as unhandled.
  graph?.catch(() => undefined);
  const stored = await data;
  const fullText = new DeferredFullTextIndex(fullTextSource(dir, stored), stored.articles.length);
  const engine = options.fullText !== 'later' ? await fullText.load() : fullText;
  const index = await assemble(stored, { embedder, wordVectors }, dir, () => engine, graph);
  return { ...index, files: shared.files };
}

/** A snapshot's full-text index: its fulltext.json, else the build's documents from its articles. */
function fullTextSource(dir: string, data: StoredSnapshot): FullTextSource {
  return sourceOf(
    path.basename(dir),
    (synonyms) => MiniSearchIndex.fromJsonLinesInSlices(readFullTextLines(dir), synonyms),
    data,
  );
}

/** A build's full-text index: the JSON it writes (`fullTextJson`), read from the text rather than the file. */
function builtFullTextSource(data: SnapshotData): FullTextSource {
  return sourceOf('the build', (synonyms) => MiniSearchIndex.fromJSONInSlices(data.fullTextJson, synonyms), data);
}

/** The full-text index `read` (from fulltext.json's text), else rebuilt from the articles. */
function sourceOf(
  snapshot: string,
  read: (synonyms: string[][]) => Promise<MiniSearchIndex>,
  { articles, manifest }: Pick<StoredSnapshot, 'articles' | 'manifest'>,
): FullTextSource {
  // The articles and synonyms only: the rest of what was read (decoded models, items) must not outlive the start.
  const { synonyms } = manifest;
  return {
    snapshot,
    // A rejection, also when the file cannot even be opened (read's lines throw at once then).
    read: async () => read(synonyms),
    // Through its JSON, as the build does before writing it: loaded, its terms iterate in that order, which orders
    // each hit's matched terms and ties; built and used directly, they would differ.
    rebuild: async () =>
      MiniSearchIndex.fromJSONInSlices(
        (await MiniSearchIndex.buildInSlices(articles.map(searchDocumentOf), synonyms)).toJSON(),
        synonyms,
      ),
  };
}

/** Start what `openSnapshot(…, { fullText: 'later' })` left for later (the full-text index), in the background. */
export function startDeferredLoads(index: KbIndex): void {
  if (index.fullText instanceof DeferredFullTextIndex) index.fullText.start();
}

/** Resolves once what `openSnapshot(…, { fullText: 'later' })` left for later is loaded (or failed to), whoever started it; at once when nothing was. */
export function deferredLoadsSettled(index: KbIndex): Promise<void> {
  return index.fullText instanceof DeferredFullTextIndex ? index.fullText.settled() : Promise.resolve();
}

/**
 * The lexical model: restored from the snapshot when it stores one fitted
 * with these word vectors (over the served articles, whose passages it reads
 * only on rare paths), else fitted from the articles with their texts (a
 * build, an older snapshot, a damaged file or other vectors), with the stored
 * classifier when it still fits.
 */
function termsOf(
  data: StoredSnapshot,
  served: readonly Article[],
  wordVectors: WordVectors | null,
  snapshotDir: string | null,
  /** What the classifier is retrained from, when the model was fitted on another thread that sent it. */
  training?: ClassifierTraining,
): TermModel {
  if (data.termModel) {
    try {
      return TermModel.restore(served.map(termDocOf), data.termModel, {
        saved: data.classifier,
        wordVectors,
        training,
      });
    } catch (error) {
      log.warn('index', 'the stored lexical model does not fit; fitting it from the articles', {
        snapshot: snapshotDir && path.basename(snapshotDir),
        reason: (error as Error).message,
      });
    }
  } else if (snapshotDir)
    log.info('index', 'this snapshot stores no lexical model (an older format): fitting it from the articles', {
      snapshot: path.basename(snapshotDir),
      format: data.manifest.format,
      hint: '`npm run index` writes the current format, which loads without fitting',
    });
  if (data.bodiesLeftOut) throw new BodiesLeftOutError(snapshotDir);
  return TermModel.build(data.articles.map(termDocOf), { saved: data.classifier, wordVectors });
}

/**
 * An index opened without its articles' bodies (`openSnapshot`'s `bodies: false`) whose lexical model must be
 * fitted from them: the stored one does not fit. Open it with them.
 */
export class BodiesLeftOutError extends Error {
  override name = 'BodiesLeftOutError';
  constructor(snapshotDir: string | null) {
    super(`the lexical model of ${snapshotDir ?? 'this index'} must be fitted from the articles' bodies, left out`);
  }
}

/**
 * The snapshot's vector index, of the kind its manifest names; with `shared`,
 * a scan is read in place from its shared image (a graph is read by hnswlib
 * from its file either way).
 */
async function readVectorsOf(
  dir: string,
  manifest: Manifest,
  items: StoredSnapshot['items'] | Promise<StoredSnapshot['items']>,
  shared?: SharedFiles,
): Promise<StoredVectorIndex> {
  const { kind, file } = vectorIndexOf(manifest);
  const { dimensions } = manifest.embedder;
  if (kind === 'scan' && shared)
    return ScanVectorIndex.fromImage(await shared.scanImage(file, dimensions), path.join(dir, file), dimensions, items);
  return readVectorIndex(kind, path.join(dir, file), dimensions, items);
}

function vectorsOf(data: StoredSnapshot): Float32Array[] {
  if (!data.vectors) throw new Error('snapshot read without its vectors has no stored centroids');
  return data.vectors;
}
