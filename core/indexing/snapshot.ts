import { createHash } from 'node:crypto';
import { readFileSync, promises as fs } from 'node:fs';
import path from 'node:path';
import type { Article } from '../articles/types.ts';
import { articleFromStore, type StoredArticle } from '../articles/servedArticle.ts';
import type { RoutingPolicy } from '../triage/routingRules.ts';
import type { SlaPolicy } from '../sla/slaPolicy.ts';
import { DeflectError } from '../errors.ts';
import type { Calibration } from '../answers/pipeline/calibration.ts';
import { decodeClassifier } from '../answers/codecs/classifierCodec.ts';
import { decodeTermModel } from '../answers/codecs/termModelCodec.ts';
import type { TermModelParts } from '../answers/lexical/termModel.ts';
import type { SavedClassifier } from '../answers/learners/phraseClassifier.ts';
import type { PublishedSnapshot } from '../storage/ports.ts';
import { writeFileAtomic } from '../storage/atomicFile.ts';
import { log } from '../logger.ts';
import { readJsonArray, readJsonText, readTextLines } from './snapshotJson.ts';
import { decodeItems, type SnapshotItem } from './snapshotItems.ts';
import { decodeCentroids, unpackVectors } from './snapshotVectors.ts';
import type { ArticleCentroids } from '../search/articleCentroids.ts';
import type { VectorIndexKind } from '../search/vectorIndexes.ts';
import type { SharedFiles } from './snapshotFiles.ts';

export type { SnapshotFiles } from './snapshotFiles.ts';

/**
 * An index snapshot is a folder under DATA_DIR/index, written whole and then
 * named in the CURRENT file. Readers follow CURRENT; a crash while building
 * leaves a stray temp folder and the old snapshot still current.
 */
export interface Manifest {
  /**
   * 4: as 3, naming its vector index (`vectorIndex`), which may be a scan
   * (vectors.scan) rather than hnswlib's graph. 3: as 2, but articles.json lists each chunk without its text (the body
   * has it: see StoredChunk). Numbered apart so that a server of format 2,
   * which refuses any other, rebuilds the index rather than reading the
   * missing texts as empty ones. 2: the fitted
   * lexical model and the embedder centroids are stored (termmodel.bin,
   * centroids.bin), so loading reads them. 1: they are fitted again from the
   * articles and vectors on every load (still readable; slow on a large KB).
   * 1 and 2 list whole chunks and still open as they did; the next build
   * writes format 3. Any may carry items.bin (the items without their texts,
   * which serving reads instead of items.json) and ASCII-only JSON; without
   * them it opens as before.
   */
  format: 1 | 2 | 3 | 4;
  createdAt: string;
  kbRoot: string;
  embedder: { id: string; dimensions: number };
  articleCount: number;
  itemCount: number;
  /** Per-article content hashes: what the next incremental build may reuse. */
  hashes: Record<string, string>;
  /** The KB's synonym groups, applied at query time. */
  synonyms: string[][];
  /** The KB's ticket routing (`_routing.yml`), published with the articles; absent when it has none. */
  routing?: RoutingPolicy;
  /** The KB's SLA policy (`_sla.yml`), published with the articles; absent when it has none. */
  sla?: SlaPolicy;
  calibration: Calibration;
  /** `kbStamp` of the KB folder when the build read it: unchanged, the index is current without reading the articles. */
  kbStamp?: string;
  /** Which vector index the snapshot holds (format 4; absent: hnswlib's graph, vectors.hnsw). */
  vectorIndex?: VectorIndexKind;
  /** Id of the word vectors the lexical model and its calibration were fitted with (absent: none). */
  wordVectors?: string | null;
}

/** The snapshot's vector index and its file. */
export function vectorIndexOf(manifest: Manifest): { kind: VectorIndexKind; file: string } {
  const kind = manifest.vectorIndex ?? 'hnsw';
  return { kind, file: kind === 'scan' ? FILES.scan : FILES.hnsw };
}

/** Was this snapshot's model calibrated with `vectors` (null: none)? Otherwise its confidences fit another model. */
export function calibratedWith(manifest: Manifest, vectors: { id: string } | null): boolean {
  return (manifest.wordVectors ?? null) === (vectors?.id ?? null);
}

export interface SnapshotData {
  manifest: Manifest;
  articles: Article[];
  /** Read without vectors, from items.bin: each item's text and hash are read from items.json when first asked for. */
  items: SnapshotItem[];
  /** Every item's vector; null when read without them (`readSnapshot`'s `vectors: 'if-needed'`). */
  vectors: Float32Array[] | null;
  /** The full-text index as MiniSearch's JSON: written by a build; `readSnapshot` leaves it to `readFullTextLines`. */
  fullTextJson: string;
  /** The trained phrase classifier: loading uses it instead of retraining. Absent in older snapshots. */
  classifier?: SavedClassifier;
  /** The fitted lexical model (format 2): loading restores it instead of fitting it. */
  termModel?: TermModelParts;
  /** Each article's embedder centroid (format 2): loading reads them instead of summing every vector. */
  centroids?: ArticleCentroids;
}

/** A snapshot as `readSnapshot` reads it: every file but the full-text index, which serving loads after it is ready. */
export type StoredSnapshot = Omit<SnapshotData, 'fullTextJson'> & {
  /** Read with `bodies: false`: every article's body (and headings, links) is empty, so nothing can be fitted or indexed from them. */
  bodiesLeftOut?: true;
};

export class IndexCorruptError extends DeflectError {
  override name = 'IndexCorruptError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('index_corrupt', message, undefined, options);
  }
}

export const FILES = {
  manifest: 'manifest.json',
  articles: 'articles.json',
  items: 'items.json',
  itemsTable: 'items.bin',
  vectors: 'vectors.f32',
  hnsw: 'vectors.hnsw',
  scan: 'vectors.scan',
  fullText: 'fulltext.json',
  classifier: 'classifier.bin',
  termModel: 'termmodel.bin',
  centroids: 'centroids.bin',
};

/** The format `SnapshotWriter` writes; `readSnapshot` reads it and every older one. */
export const SNAPSHOT_FORMAT = 4;

/** A snapshot folder's name: also its id in a shared publication. */
export const SNAPSHOT_NAME = /^snap-[\w.-]+$/;

export function indexRoot(dataDir: string): string {
  return path.join(dataDir, 'index');
}

/** The folder of the current snapshot, or null when none was ever published. */
export async function currentSnapshotDir(dataDir: string): Promise<string | null> {
  try {
    const name = (await fs.readFile(path.join(indexRoot(dataDir), 'CURRENT'), 'utf8')).trim();
    if (!SNAPSHOT_NAME.test(name)) throw new IndexCorruptError(`CURRENT names '${name}', which is not a snapshot`);
    return path.join(indexRoot(dataDir), name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** Point CURRENT at the complete snapshot folder `name`, then prune older ones. */
export async function switchCurrent(dataDir: string, name: string): Promise<void> {
  if (!SNAPSHOT_NAME.test(name)) throw new IndexCorruptError(`'${name}' is not a snapshot name`);
  const root = indexRoot(dataDir);
  await writeFileAtomic(path.join(root, 'CURRENT'), `${name}\n`);
  await pruneSnapshots(root, name);
}

/** The KB revision a snapshot was built from: the same articles and synonyms give the same revision on any machine. */
export function revisionOf(manifest: Pick<Manifest, 'hashes' | 'synonyms' | 'routing' | 'sla'>): string {
  const ids = Object.keys(manifest.hashes).sort();
  // Routing joins the revision only when present, so a KB without it keeps the revision it had.
  const text = JSON.stringify([
    ids.map((id) => [id, manifest.hashes[id]]),
    manifest.synonyms,
    ...(manifest.routing ? [manifest.routing] : []),
    ...(manifest.sla ? [{ sla: manifest.sla }] : []),
  ]);
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/** A snapshot folder as a publication names it: id, KB revision, and when it was built. */
export async function describeSnapshot(dir: string): Promise<PublishedSnapshot> {
  try {
    const manifest = JSON.parse(await fs.readFile(path.join(dir, FILES.manifest), 'utf8')) as Manifest;
    return { id: path.basename(dir), revision: revisionOf(manifest), publishedAt: manifest.createdAt };
  } catch (error) {
    throw new IndexCorruptError(`index snapshot ${dir} has no readable manifest`, { cause: error });
  }
}

/** A snapshot's manifest alone (a staleness check needs nothing else). */
export async function readManifest(dir: string): Promise<Manifest> {
  try {
    const manifest = JSON.parse(await fs.readFile(path.join(dir, FILES.manifest), 'utf8')) as Manifest;
    if (![1, 2, 3, SNAPSHOT_FORMAT].includes(manifest.format))
      throw new Error(`unknown snapshot format ${String(manifest.format)}`);
    return manifest;
  } catch (error) {
    throw new IndexCorruptError(`index snapshot ${dir} is unreadable: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * Read a snapshot's files but the full-text index (`readFullTextLines`); any
 * missing or unreadable file is IndexCorruptError, except the stored models
 * (classifier, lexical model, centroids), which are fitted again when
 * unreadable, and items.bin, read from items.json then. `vectors: 'if-needed'` skips the vector file when
 * the centroids are stored: serving reads the vectors from the graph, and
 * they are the largest file; it also reads the items from items.bin, whose
 * texts serving does not need. `'always'` (a build reusing vectors) reads
 * items.json whole. `files`: the binary files come from it (shared memory,
 * which the decoded models are views on) instead of fs.readFile's Buffers.
 * `bodies: false`: every article's body, headings and links are read as
 * empty (`bodiesLeftOut`), for an engine thread, which answers without them.
 */
export async function readSnapshot(dir: string): Promise<StoredSnapshot & { vectors: Float32Array[] }>;
export async function readSnapshot(
  dir: string,
  options: { vectors: 'always' | 'if-needed'; manifest?: Manifest; files?: SharedFiles; bodies?: boolean },
): Promise<StoredSnapshot>;
export async function readSnapshot(
  dir: string,
  options: { vectors?: 'always' | 'if-needed'; manifest?: Manifest; files?: SharedFiles; bodies?: boolean } = {},
): Promise<StoredSnapshot> {
  // A caller that read the manifest already passes it: at 10k articles it is 0.9 MB of JSON (each article's hash).
  const manifest = options.manifest ?? (await readManifest(dir));
  const { files } = options;
  const read = (file: string): Promise<Uint8Array> => (files ? files.bytes(file) : fs.readFile(path.join(dir, file)));
  try {
    // An article at a time: without its body, when left out, the body is garbage before the next is read.
    const leaveOut = options.bodies === false;
    const articles = await readJsonArray(path.join(dir, FILES.articles), (a: StoredArticle) => {
      if (leaveOut) {
        // Nor its headings and links, which only the full-text index and the pages read (25 MB at 100k articles).
        a.body = '';
        a.headings = [];
        a.links = [];
      }
      // The manifest's string for its hash, not a second copy (64 characters an article, 8 MB at 100k, per thread).
      const known = manifest.hashes[a.id];
      if (known === a.hash) a.hash = known;
      return articleFromStore(a);
    });
    const itemsJson = path.join(dir, FILES.items);
    const table =
      options.vectors === 'if-needed'
        ? await readOptional(
            read,
            FILES.itemsTable,
            (bytes) => decodeItems(bytes, articles, itemsReader(itemsJson)),
            'reading items.json instead',
          )
        : undefined;
    const items = table ?? (JSON.parse(await readJsonText(itemsJson)) as SnapshotItem[]);
    if (articles.length !== manifest.articleCount || items.length !== manifest.itemCount)
      throw new Error('snapshot files disagree on their sizes');
    const centroids = await readOptional(read, FILES.centroids, (bytes) => decodeCentroids(bytes, articles.length));
    let vectors: Float32Array[] | null = null;
    if (options.vectors !== 'if-needed' || !centroids) {
      // Never shared: only an older snapshot's centroids are summed from it, then it is dropped (287 MB at 10k
      // articles), where shared files live as long as the index that lists them.
      vectors = unpackVectors(await fs.readFile(path.join(dir, FILES.vectors)), manifest.embedder.dimensions);
      if (vectors.length !== items.length) throw new Error('snapshot files disagree on their sizes');
    }
    return {
      ...(leaveOut && { bodiesLeftOut: true as const }),
      manifest,
      articles,
      items,
      vectors,
      classifier: await readOptional(read, FILES.classifier, decodeClassifier),
      termModel: await readOptional(read, FILES.termModel, decodeTermModel),
      centroids,
    };
  } catch (error) {
    throw new IndexCorruptError(`index snapshot ${dir} is unreadable: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * Reads items.json whole, when an item's text is first asked for. Made here,
 * not inline in `readSnapshot`: a closure there would share its scope, and
 * with it the articles as parsed (every chunk's text, 18 MB of heap at 10k
 * articles), which the served items would then keep alive as long as they
 * serve.
 */
function itemsReader(file: string): () => SnapshotItem[] {
  return () => JSON.parse(readFileSync(file, 'utf8')) as SnapshotItem[];
}

/**
 * The snapshot's full-text index (fulltext.json) line by line, read as the
 * lines are asked for (MiniSearchIndex.fromJsonLines); IndexCorruptError
 * when it is missing or a read fails. Stopping early closes the file.
 */
export function* readFullTextLines(dir: string): Generator<string> {
  try {
    yield* readTextLines(path.join(dir, FILES.fullText));
  } catch (error) {
    throw new IndexCorruptError(`the full-text index of ${dir} is unreadable: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/**
 * A stored model (or items.bin), or undefined when there is none or it is
 * unreadable: it is fitted again (or read from items.json) then, so a bad
 * file costs time, not answers.
 */
async function readOptional<T>(
  read: (file: string) => Promise<Uint8Array>,
  file: string,
  decode: (bytes: Uint8Array) => T,
  instead = 'fitting it again',
): Promise<T | undefined> {
  let bytes: Uint8Array;
  try {
    bytes = await read(file);
  } catch {
    return undefined;
  }
  try {
    return decode(bytes);
  } catch (error) {
    log.warn('index', `a stored file of the index snapshot is unreadable; ${instead}`, {
      file,
      error: (error as Error).message,
    });
    return undefined;
  }
}

/** Keep the current and the previous snapshot; remove older ones and stray temp folders. */
async function pruneSnapshots(root: string, current: string): Promise<void> {
  const entries = (await fs.readdir(root)).filter((n) => n.startsWith('snap-') || n.startsWith('.building-')).sort();
  const snaps = entries.filter((n) => n.startsWith('snap-') && n !== current);
  const keep = new Set([current, snaps[snaps.length - 1]]);
  for (const n of entries) {
    if (keep.has(n)) continue;
    if (n.startsWith('.building-') && n.endsWith(`-${process.pid}`)) continue;
    await fs.rm(path.join(root, n), { recursive: true, force: true });
  }
}
