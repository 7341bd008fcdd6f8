import { Meilisearch, type Settings } from 'meilisearch';
import type { MeiliConfig } from '../config/search.ts';
import { ValidationError } from '../errors.ts';
import type { KbIndex } from './kbIndex.ts';
import { readSnapshot } from './snapshot.ts';
import { searchDocumentOf } from './buildIndex.ts';
import { log } from '../logger.ts';
import { meiliDocument, meiliSettings, MEILI_EMBEDDER, type MeiliDocument } from '../search/meiliDocuments.ts';
import { awaitTask } from '../search/meiliTasks.ts';

export interface MeiliPublishOptions {
  /** Target index uid. */
  index: string;
  /** Start a new index and swap it in, instead of updating the live one. */
  rebuild?: boolean;
  taskTimeoutMs: number;
  batchSize?: number;
}

export interface MeiliPublishSummary {
  mode: 'incremental' | 'rebuild';
  added: number;
  updated: number;
  deleted: number;
  unchanged: number;
}

const BATCH = 500;

/**
 * Bring a Meilisearch index in line with the KB (used by the indexer after
 * each publish, and by the server at start and when Meilisearch comes back).
 *
 * Incremental: settings, then only new/changed documents (by `rev`) in
 * batches, then deletions — each task awaited. A rebuild (asked for, no index
 * yet, or a changed embedder) fills `<index>-next` and swaps it in, so
 * searches never see a half-built index.
 */
export async function publishToMeili(
  admin: Meilisearch,
  docs: MeiliDocument[],
  settings: Settings,
  options: MeiliPublishOptions,
): Promise<MeiliPublishSummary> {
  const batch = options.batchSize ?? BATCH;
  const existing = await admin.getRawIndex(options.index).catch((error: { cause?: { code?: string } }) => {
    if (error?.cause?.code === 'index_not_found') return null;
    throw error;
  });
  const current = existing ? await admin.index(options.index).getSettings() : null;
  const embedderChanged =
    !!current &&
    JSON.stringify(current.embedders?.[MEILI_EMBEDDER] ?? null) !==
      JSON.stringify(settings.embedders?.[MEILI_EMBEDDER] ?? null);
  if (options.rebuild || !existing || embedderChanged)
    return rebuild(admin, docs, settings, options, batch, !!existing);

  const index = admin.index(options.index);
  await awaitTask(index.updateSettings(settings), options.taskTimeoutMs);
  const revs = new Map<string, string>();
  for (let offset = 0; ; offset += 1000) {
    const page = await index.getDocuments<{ key: string; rev?: string }>({
      fields: ['key', 'rev'],
      limit: 1000,
      offset,
    });
    for (const d of page.results) revs.set(String(d.key), String(d.rev ?? ''));
    if (page.results.length < 1000) break;
  }
  const changed = docs.filter((d) => revs.get(d.key) !== d.rev);
  const keep = new Set(docs.map((d) => d.key));
  const gone = [...revs.keys()].filter((k) => !keep.has(k));
  for (let i = 0; i < changed.length; i += batch)
    await awaitTask(index.addDocuments(changed.slice(i, i + batch), { primaryKey: 'key' }), options.taskTimeoutMs);
  for (let i = 0; i < gone.length; i += batch)
    await awaitTask(index.deleteDocuments(gone.slice(i, i + batch)), options.taskTimeoutMs);
  const added = changed.filter((d) => !revs.has(d.key)).length;
  return {
    mode: 'incremental',
    added,
    updated: changed.length - added,
    deleted: gone.length,
    unchanged: docs.length - changed.length,
  };
}

async function rebuild(
  admin: Meilisearch,
  docs: MeiliDocument[],
  settings: Settings,
  options: MeiliPublishOptions,
  batch: number,
  targetExists: boolean,
): Promise<MeiliPublishSummary> {
  const next = `${options.index}-next`;
  // A crashed earlier rebuild may have left its half-built index behind.
  await awaitTask(admin.deleteIndex(next), options.taskTimeoutMs).catch(() => undefined);
  await awaitTask(admin.createIndex(next, { primaryKey: 'key' }), options.taskTimeoutMs);
  const index = admin.index(next);
  await awaitTask(index.updateSettings(settings), options.taskTimeoutMs);
  for (let i = 0; i < docs.length; i += batch)
    await awaitTask(index.addDocuments(docs.slice(i, i + batch), { primaryKey: 'key' }), options.taskTimeoutMs);
  if (!targetExists) await awaitTask(admin.createIndex(options.index, { primaryKey: 'key' }), options.taskTimeoutMs);
  await awaitTask(admin.swapIndexes([{ indexes: [options.index, next], rename: false }]), options.taskTimeoutMs);
  // After the swap, `next` holds the old contents.
  await awaitTask(admin.deleteIndex(next), options.taskTimeoutMs);
  log.info('meili', 'index rebuilt and swapped in', { index: options.index, documents: docs.length });
  return { mode: 'rebuild', added: docs.length, updated: 0, deleted: 0, unchanged: 0 };
}

/** The documents and settings for a loaded index; `hybrid` adds each article's vectors (title, questions, chunks). */
export async function meiliPayloadOf(
  index: KbIndex,
  options: { hybrid: boolean },
): Promise<{ docs: MeiliDocument[]; settings: Settings }> {
  const vectorsByArticle = options.hybrid ? await articleVectors(index) : undefined;
  const docs = [...index.articles.values()].map((a) =>
    meiliDocument(searchDocumentOf(a), a.hash, vectorsByArticle?.get(a.id), index.manifest.embedder.id),
  );
  const settings = meiliSettings(
    index.manifest.synonyms,
    options.hybrid ? { dimensions: index.manifest.embedder.dimensions } : {},
  );
  return { docs, settings };
}

async function articleVectors(index: KbIndex): Promise<Map<string, Float32Array[]>> {
  const out = new Map<string, Float32Array[]>();
  if (!index.snapshotDir) {
    // Built in memory only: the article's centroid stands for it.
    for (const [id, v] of index.centroids.toMap()) out.set(id, [v]);
    return out;
  }
  const data = await readSnapshot(index.snapshotDir);
  data.items.forEach((item, i) => {
    const list = out.get(item.articleId) ?? [];
    list.push(data.vectors[i]!);
    out.set(item.articleId, list);
  });
  return out;
}

/** The indexer's step after publishing a snapshot: push it to Meilisearch with the admin key; returns a line for the console. */
export async function pushToMeili(config: MeiliConfig, index: KbIndex, rebuild: boolean): Promise<string> {
  if (!config.adminKey)
    throw new ValidationError(
      'MEILI_API_KEY (an admin key) is required to push the KB to Meilisearch; the server uses only a search key',
    );
  const admin = new Meilisearch({
    host: config.host,
    apiKey: config.adminKey,
    timeout: Math.max(config.timeoutMs, 10_000),
  });
  const { docs, settings } = await meiliPayloadOf(index, { hybrid: config.hybrid });
  const s = await publishToMeili(admin, docs, settings, {
    index: config.index,
    rebuild,
    taskTimeoutMs: config.taskTimeoutMs,
  });
  return s.mode === 'rebuild'
    ? `Meilisearch: rebuilt ${config.index} with ${s.added} documents (swapped in)`
    : `Meilisearch: ${config.index} ${s.added} added, ${s.updated} updated, ${s.deleted} deleted, ${s.unchanged} unchanged`;
}
