import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, promises as fs } from 'node:fs';
import path from 'node:path';
import type { Article } from '../articles/types.ts';
import { articleFromStore, storedArticle, type StoredArticle } from '../articles/servedArticle.ts';
import type { RoutingPolicy } from '../triage/routingRules.ts';
import type { SlaPolicy } from '../sla/slaPolicy.ts';
import { DeflectError } from '../errors.ts';
import type { Calibration } from '../answers/pipeline/calibration.ts';
import { decodeClassifier, encodeClassifier } from '../answers/codecs/classifierCodec.ts';
import { decodeTermModel, termModelPieces } from '../answers/codecs/termModelCodec.ts';
import type { TermModelParts } from '../answers/lexical/termModel.ts';
import type { SavedClassifier } from '../answers/learners/phraseClassifier.ts';
import type { PublishedSnapshot } from '../storage/ports.ts';
import { fsyncDir, fsyncFile, writeFileAtomic } from '../storage/atomicFile.ts';
import { log } from '../logger.ts';
import { asciiJsonPieces, escapedPieces, readJsonText } from './snapshotJson.ts';
import { decodeItems, encodeItems, type SnapshotItem } from './snapshotItems.ts';
import { decodeCentroids, encodeCentroids, packVectors, unpackVectors } from './snapshotVectors.ts';
import type { ArticleCentroids } from '../search/articleCentroids.ts';

/**
 * An index snapshot is a folder under DATA_DIR/index, written whole and then
 * named in the CURRENT file. Readers follow CURRENT; a crash while building
 * leaves a stray temp folder and the old snapshot still current.
 */
export interface Manifest {
  /**
   * 3: as 2, but articles.json lists each chunk without its text (the body
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
  format: 1 | 2 | 3;
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
  /** Id of the word vectors the lexical model and its calibration were fitted with (absent: none). */
  wordVectors?: string | null;
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
  /** The full-text index as MiniSearch's JSON: written by a build; `readSnapshot` leaves it to `readFullTextJson`. */
  fullTextJson: string;
  /** The trained phrase classifier: loading uses it instead of retraining. Absent in older snapshots. */
  classifier?: SavedClassifier;
  /** The fitted lexical model (format 2): loading restores it instead of fitting it. */
  termModel?: TermModelParts;
  /** Each article's embedder centroid (format 2): loading reads them instead of summing every vector. */
  centroids?: ArticleCentroids;
}

/** A snapshot as `readSnapshot` reads it: every file but the full-text index, which serving loads after it is ready. */
export type StoredSnapshot = Omit<SnapshotData, 'fullTextJson'>;

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
  fullText: 'fulltext.json',
  classifier: 'classifier.bin',
  termModel: 'termmodel.bin',
  centroids: 'centroids.bin',
};

/** The format `publishSnapshot` writes; `readSnapshot` reads it and every older one. */
export const SNAPSHOT_FORMAT = 3;

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

/**
 * Write a snapshot beside the current one, then switch CURRENT to it. The
 * graph is written by `writeGraph`; the vectors from `data.vectors`, else by
 * `writeVectors` (a build's vector file moved in: see GraphFeed).
 */
export async function publishSnapshot(
  dataDir: string,
  data: SnapshotData,
  writeGraph: (file: string) => Promise<void>,
  writeVectors?: (file: string) => Promise<void>,
): Promise<string> {
  const snapshot = await SnapshotWriter.start(dataDir);
  await snapshot.writeData(data);
  if (data.vectors) await snapshot.write(FILES.vectors, packVectors(data.vectors, data.manifest.embedder.dimensions));
  else if (writeVectors) await snapshot.take(FILES.vectors, writeVectors);
  else throw new Error('a snapshot is published with its vectors');
  await snapshot.take(FILES.hnsw, writeGraph);
  return snapshot.publish(data.manifest);
}

/**
 * A snapshot's folder while it is written, file by file and in any order,
 * each synced; `publish` writes the manifest last and switches CURRENT to it.
 * A build writes what it knows before its graph and calibration while it
 * waits for them (see buildIndex).
 */
export class SnapshotWriter {
  private constructor(
    private readonly dataDir: string,
    private readonly name: string,
    private readonly building: string,
  ) {}

  static async start(dataDir: string): Promise<SnapshotWriter> {
    const root = indexRoot(dataDir);
    await fs.mkdir(root, { recursive: true });
    // Unique across machines too (a shared publication names snapshots by folder); the pid stays last for pruneSnapshots.
    const name = `snap-${new Date().toISOString().replace(/[:.]/g, '-')}-${randomBytes(3).toString('hex')}-${process.pid}`;
    const building = path.join(root, `.building-${name}`);
    await fs.mkdir(building);
    return new SnapshotWriter(dataDir, name, building);
  }

  /** Every file but the manifest, the vectors and the graph. */
  async writeData(data: Omit<SnapshotData, 'manifest' | 'vectors'>): Promise<void> {
    // JSON in ASCII, which reads faster (snapshotJson.ts); the chunks without their texts (format 3).
    await this.write(FILES.articles, asciiJsonPieces(data.articles.map(storedArticle)));
    await this.write(FILES.items, asciiJsonPieces(data.items));
    await this.write(FILES.itemsTable, encodeItems(data.items, data.articles));
    await this.write(FILES.fullText, escapedPieces(data.fullTextJson));
    if (data.classifier) await this.write(FILES.classifier, encodeClassifier(data.classifier));
    if (data.termModel) await this.write(FILES.termModel, termModelPieces(data.termModel));
    if (data.centroids) await this.write(FILES.centroids, encodeCentroids(data.centroids));
  }

  /** Large files go in pieces (text or bytes), so that no file is whole in memory but in its own structures. */
  async write(file: string, content: string | Uint8Array | Iterable<string | Uint8Array>): Promise<void> {
    const h = await fs.open(path.join(this.building, file), 'w');
    try {
      // writeFile on a handle writes on from where the last write ended.
      if (typeof content === 'string' || content instanceof Uint8Array) await h.writeFile(content);
      else for (const piece of content) await h.writeFile(piece);
      await h.sync();
    } finally {
      await h.close();
    }
  }

  /** A file `put` writes (or moves in) at the path it is given, synced. */
  async take(file: string, put: (file: string) => Promise<void>): Promise<void> {
    await put(path.join(this.building, file));
    await fsyncFile(path.join(this.building, file));
  }

  /** The manifest goes last: a folder without one is never a snapshot. Then CURRENT names it. */
  async publish(manifest: Manifest): Promise<string> {
    await this.write(FILES.manifest, JSON.stringify(manifest, null, 2));
    await fsyncDir(this.building);
    const root = indexRoot(this.dataDir);
    await fs.rename(this.building, path.join(root, this.name));
    await fsyncDir(root);
    await switchCurrent(this.dataDir, this.name);
    return path.join(root, this.name);
  }

  /** Remove the unfinished folder (a build that failed). */
  async discard(): Promise<void> {
    await fs.rm(this.building, { recursive: true, force: true });
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
    if (![1, 2, SNAPSHOT_FORMAT].includes(manifest.format))
      throw new Error(`unknown snapshot format ${String(manifest.format)}`);
    return manifest;
  } catch (error) {
    throw new IndexCorruptError(`index snapshot ${dir} is unreadable: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * Read a snapshot's files but the full-text index (`readFullTextJson`); any
 * missing or unreadable file is IndexCorruptError, except the stored models
 * (classifier, lexical model, centroids), which are fitted again when
 * unreadable, and items.bin, read from items.json then. `vectors: 'if-needed'` skips the vector file when
 * the centroids are stored: serving reads the vectors from the graph, and
 * they are the largest file; it also reads the items from items.bin, whose
 * texts serving does not need. `'always'` (a build reusing vectors) reads
 * items.json whole.
 */
export async function readSnapshot(dir: string): Promise<StoredSnapshot & { vectors: Float32Array[] }>;
export async function readSnapshot(
  dir: string,
  options: { vectors: 'always' | 'if-needed'; manifest?: Manifest },
): Promise<StoredSnapshot>;
export async function readSnapshot(
  dir: string,
  options: { vectors?: 'always' | 'if-needed'; manifest?: Manifest } = {},
): Promise<StoredSnapshot> {
  // A caller that read the manifest already passes it: at 10k articles it is 0.9 MB of JSON (each article's hash).
  const manifest = options.manifest ?? (await readManifest(dir));
  try {
    const stored = JSON.parse(await readJsonText(path.join(dir, FILES.articles))) as StoredArticle[];
    const articles = stored.map(articleFromStore);
    const itemsJson = path.join(dir, FILES.items);
    const table =
      options.vectors === 'if-needed'
        ? await readOptional(
            dir,
            FILES.itemsTable,
            (bytes) => decodeItems(bytes, articles, itemsReader(itemsJson)),
            'reading items.json instead',
          )
        : undefined;
    const items = table ?? (JSON.parse(await readJsonText(itemsJson)) as SnapshotItem[]);
    if (articles.length !== manifest.articleCount || items.length !== manifest.itemCount)
      throw new Error('snapshot files disagree on their sizes');
    const centroids = await readOptional(dir, FILES.centroids, (bytes) => decodeCentroids(bytes, articles.length));
    let vectors: Float32Array[] | null = null;
    if (options.vectors !== 'if-needed' || !centroids) {
      vectors = unpackVectors(await fs.readFile(path.join(dir, FILES.vectors)), manifest.embedder.dimensions);
      if (vectors.length !== items.length) throw new Error('snapshot files disagree on their sizes');
    }
    return {
      manifest,
      articles,
      items,
      vectors,
      classifier: await readOptional(dir, FILES.classifier, decodeClassifier),
      termModel: await readOptional(dir, FILES.termModel, decodeTermModel),
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

/** The snapshot's full-text index as MiniSearch's JSON; IndexCorruptError when it is missing or unreadable. */
export async function readFullTextJson(dir: string): Promise<string> {
  try {
    // Read and decoded in one call, leaving no 12 MB Buffer (at 10k articles) for the next full GC: read after
    // "ready", when a server may see none for a long while, such a Buffer stayed in its RSS.
    return readFileSync(path.join(dir, FILES.fullText), 'utf8');
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
  dir: string,
  file: string,
  decode: (bytes: Buffer) => T,
  instead = 'fitting it again',
): Promise<T | undefined> {
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(path.join(dir, file));
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
