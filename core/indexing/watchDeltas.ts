import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Lang } from '../contracts/api.ts';
import { isArticlePath, KB_POLICY_FILES } from '../articles/loadKb.ts';
import { parseArticle } from '../articles/parseArticle.ts';
import type { Article, ArticleProblem } from '../articles/types.ts';
import type { StoredArticle } from '../articles/servedArticle.ts';
import type { Embedder } from '../search/ports.ts';
import { unitsOf } from './buildIndex.ts';
import { currentSnapshotDir, FILES, readManifest } from './snapshot.ts';
import { readJsonArray } from './snapshotJson.ts';
import { removeDelta, writeDelta, type SnapshotDelta } from './snapshotDelta.ts';

/** One added or edited article of the delta, with its units and their vectors. */
interface Upsert {
  article: Article;
  items: SnapshotDelta['items'];
  vectors: Float32Array[];
}

/** What one round of changed files did. */
export interface DeltaRound {
  /** A delta was published (something served changed). */
  published: boolean;
  /** Articles added or edited, and ids removed, by this round. */
  upserted: string[];
  removed: string[];
  /** Files that could not be read as articles: the last good state of each stays served. */
  problems: ArticleProblem[];
  /** A change a delta cannot carry (synonyms, routing, SLA, a folder, an unnamed event): run a full build now. */
  needsFullBuild: boolean;
  /** Milliseconds spent parsing, embedding and writing. */
  ms: { parse: number; embed: number; write: number };
}

/**
 * Watch mode's incremental half: turns changed article files into a delta
 * on the current snapshot (snapshotDelta.ts), parsing and embedding only
 * those files, for the server to apply in place. The full build that
 * follows replaces the snapshot; `rebase` then keeps only what that build
 * did not already see.
 */
export class WatchDeltas {
  private base = '';
  private baseHashes: Record<string, string> = {};
  private seq = 0;
  private readonly upserts = new Map<string, Upsert>();
  private readonly removed = new Set<string>();

  private constructor(
    private readonly options: { kbDir: string; dataDir: string; embedder: Embedder; defaultLang: Lang },
    /** Which article each file holds now (the base's, then as this watcher parsed them). */
    private readonly idOfFile: Map<string, string>,
  ) {}

  /** Start from the current snapshot: which file holds which article, read from its articles. */
  static async open(options: {
    kbDir: string;
    dataDir: string;
    embedder: Embedder;
    defaultLang: Lang;
  }): Promise<WatchDeltas> {
    const dir = await currentSnapshotDir(options.dataDir);
    if (!dir) throw new Error('watch mode needs a published snapshot to start from');
    // Only each article's file and id, kept as each article is parsed (a line at a time: see readJsonArray).
    const files = await readJsonArray(path.join(dir, FILES.articles), (a: StoredArticle) => [a.file, a.id] as const);
    const deltas = new WatchDeltas(options, new Map(files));
    await deltas.rebase();
    return deltas;
  }

  /** Are changes waiting for a full build? */
  get pending(): boolean {
    return this.upserts.size > 0 || this.removed.size > 0;
  }

  /**
   * A full build published a new snapshot: deltas go on it from now on,
   * holding only the changes it did not see (files written while it read).
   * Publishes that remainder, or removes the delta when there is none.
   */
  async rebase(): Promise<void> {
    const dir = await currentSnapshotDir(this.options.dataDir);
    if (!dir) throw new Error('no published snapshot to rebase on');
    const manifest = await readManifest(dir);
    this.base = path.basename(dir);
    this.baseHashes = manifest.hashes;
    this.seq = 0;
    for (const [id, u] of this.upserts) if (this.baseHashes[id] === u.article.hash) this.upserts.delete(id);
    for (const id of this.removed) if (!(id in this.baseHashes)) this.removed.delete(id);
    if (this.pending) await this.publish();
    else await removeDelta(this.options.dataDir);
  }

  /** Read `files` (relative to the KB folder, as fs.watch names them; null: it did not say) and publish the delta. */
  async changed(files: readonly (string | null)[]): Promise<DeltaRound> {
    const round: DeltaRound = {
      published: false,
      upserted: [],
      removed: [],
      problems: [],
      needsFullBuild: false,
      ms: { parse: 0, embed: 0, write: 0 },
    };
    let t = performance.now();
    const parsed: Article[] = [];
    // Deleted files first: a file renamed, its article the same, is a removal and an addition in one round.
    const sources: { file: string; source: string }[] = [];
    for (const file of await this.expand(files, round)) {
      if (KB_POLICY_FILES.includes(file)) {
        round.needsFullBuild = true;
        continue;
      }
      if (!isArticlePath(file)) continue;
      try {
        sources.push({ file, source: await fs.readFile(path.join(this.options.kbDir, file), 'utf8') });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') this.remove(file, round);
        else if (code === 'EISDIR') round.needsFullBuild = true;
        else throw error;
      }
    }
    for (const { file, source } of sources) {
      const result = parseArticle(file, source, { defaultLang: this.options.defaultLang });
      round.problems.push(...result.problems);
      const a = result.article;
      // Broken: the problems name the file and line, and the article's last good version stays served.
      if (!a) continue;
      const holder = [...this.idOfFile].find(([f, id]) => id === a.id && f !== file)?.[0];
      if (holder) {
        round.problems.push({
          file,
          line: 1,
          field: 'id',
          severity: 'error',
          message: `duplicate id '${a.id}': already used by ${holder}`,
        });
        continue;
      }
      // The file held another id before: that article is gone (renamed).
      if (this.idOfFile.get(file) !== a.id) this.remove(file, round);
      this.idOfFile.set(file, a.id);
      if ((this.upserts.get(a.id)?.article.hash ?? this.baseHashes[a.id]) === a.hash && !this.removed.has(a.id))
        continue;
      parsed.push(a);
    }
    round.ms.parse = performance.now() - t;

    t = performance.now();
    for (const a of parsed) {
      const units = unitsOf(a);
      // Embedded as a build embeds them: per article language, as passages.
      const vectors = await this.options.embedder.embed(
        units.map((u) => u.text),
        'passage',
        a.lang,
      );
      this.upserts.set(a.id, {
        article: a,
        items: units.map((u) => ({ articleId: a.id, hash: a.hash, ...u })),
        vectors,
      });
      this.removed.delete(a.id);
      round.upserted.push(a.id);
    }
    round.ms.embed = performance.now() - t;

    t = performance.now();
    if (round.upserted.length || round.removed.length) {
      await this.publish();
      round.published = true;
    }
    round.ms.write = performance.now() - t;
    return round;
  }

  /**
   * The files an event names, with "/" separators. A folder stands for the
   * article files under it: those there now, and those it held before (a
   * folder moved or removed takes its articles with it, naming none of them).
   */
  private async expand(files: readonly (string | null)[], round: DeltaRound): Promise<string[]> {
    const out = new Set<string>();
    for (const raw of files) {
      if (raw === null) {
        round.needsFullBuild = true;
        continue;
      }
      const file = raw.split(path.sep).join('/');
      const stat = await fs.stat(path.join(this.options.kbDir, file)).catch(() => null);
      const folder = stat ? stat.isDirectory() : !path.basename(file).includes('.');
      if (!folder) {
        out.add(file);
        continue;
      }
      for (const known of this.idOfFile.keys()) if (known.startsWith(`${file}/`)) out.add(known);
      if (stat) for (const f of await listFiles(this.options.kbDir, file)) out.add(f);
    }
    return [...out];
  }

  /** The article `file` held is gone: out of the delta, and removed from what is served. */
  private remove(file: string, round: DeltaRound): void {
    const id = this.idOfFile.get(file);
    if (id === undefined) return;
    this.idOfFile.delete(file);
    this.upserts.delete(id);
    this.removed.add(id);
    round.removed.push(id);
  }

  private async publish(): Promise<void> {
    const upserts = [...this.upserts.values()];
    const delta: SnapshotDelta = {
      format: 1,
      base: this.base,
      seq: ++this.seq,
      createdAt: new Date().toISOString(),
      articles: upserts.map((u) => u.article),
      items: upserts.flatMap((u) => u.items),
      vectors: upserts.flatMap((u) => u.vectors.map((v) => Array.from(v))),
      removed: [...this.removed],
    };
    await writeDelta(this.options.dataDir, delta);
  }
}

/** Every file under `rel` (relative to `root`), "/"-separated. */
async function listFiles(root: string, rel: string): Promise<string[]> {
  const entries = await fs.readdir(path.join(root, rel), { withFileTypes: true, recursive: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile())
    .map((e) =>
      path
        .relative(root, path.join(e.parentPath ?? e.path, e.name))
        .split(path.sep)
        .join('/'),
    );
}
