import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { storedArticle } from '../articles/servedArticle.ts';
import { encodeClassifier } from '../answers/codecs/classifierCodec.ts';
import { termModelPieces } from '../answers/codecs/termModelCodec.ts';
import { fsyncDir, fsyncFile } from '../storage/atomicFile.ts';
import { FILES, indexRoot, switchCurrent, vectorIndexOf, type Manifest, type SnapshotData } from './snapshot.ts';
import { asciiJsonPieces, escapedPieces } from './snapshotJson.ts';
import { encodeItems } from './snapshotItems.ts';
import { encodeCentroids, packVectors } from './snapshotVectors.ts';

/**
 * Write a snapshot beside the current one, then switch CURRENT to it. The
 * vector index (the manifest's kind) is written by `writeGraph`; the vectors from `data.vectors`, else by
 * `writeVectors` (a build's vector file moved in: see GraphFeed).
 */
export async function publishSnapshot(
  dataDir: string,
  data: SnapshotData,
  writeGraph: (file: string) => Promise<void>,
  writeVectors?: (file: string) => Promise<void>,
): Promise<string> {
  const snapshot = await SnapshotWriter.withData(dataDir, data);
  if (data.vectors) await snapshot.write(FILES.vectors, packVectors(data.vectors, data.manifest.embedder.dimensions));
  else if (writeVectors) await snapshot.take(FILES.vectors, writeVectors);
  else throw new Error('a snapshot is published with its vectors');
  await snapshot.take(vectorIndexOf(data.manifest).file, writeGraph);
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

  /** A snapshot's folder started with every file but the vectors, the graph and the manifest; removed if that fails. */
  static async withData(dataDir: string, data: Omit<SnapshotData, 'manifest' | 'vectors'>): Promise<SnapshotWriter> {
    const snapshot = await SnapshotWriter.start(dataDir);
    try {
      await snapshot.writeData(data);
    } catch (error) {
      await snapshot.discard();
      throw error;
    }
    return snapshot;
  }

  /** Every file but the manifest, the vectors and the graph. */
  async writeData(data: Omit<SnapshotData, 'manifest' | 'vectors'>): Promise<void> {
    await this.writeKb(data);
    await this.writeModels(data);
  }

  /**
   * The files of the KB and its vectors' centroids, which a build knows before
   * its term model is fitted: written while it waits for the model.
   */
  async writeKb(data: Pick<SnapshotData, 'articles' | 'items' | 'fullTextJson' | 'centroids'>): Promise<void> {
    // JSON in ASCII, which reads faster (snapshotJson.ts); the chunks without their texts (format 3); an article a
    // line, which a reader parses one at a time (an engine thread, leaving out each body as it comes).
    await this.write(FILES.articles, asciiJsonPieces(data.articles.map(storedArticle), { lines: true }));
    await this.write(FILES.items, asciiJsonPieces(data.items));
    await this.write(FILES.itemsTable, encodeItems(data.items, data.articles));
    await this.write(FILES.fullText, escapedPieces(data.fullTextJson));
    if (data.centroids) await this.write(FILES.centroids, encodeCentroids(data.centroids));
  }

  /** The term model and its classifier, when the data has them. */
  async writeModels(data: Pick<SnapshotData, 'classifier' | 'termModel'>): Promise<void> {
    if (data.classifier) await this.write(FILES.classifier, encodeClassifier(data.classifier));
    if (data.termModel) await this.write(FILES.termModel, termModelPieces(data.termModel));
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
