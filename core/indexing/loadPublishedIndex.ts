import path from 'node:path';
import type { Lang } from '../contracts/api.ts';
import { loadKnowledgeBase } from '../articles/loadKb.ts';
import type { WordVectors } from '../search/ports.ts';
import { log } from '../logger.ts';
import type { Embedder } from '../search/ports.ts';
import type { SnapshotPublication } from '../storage/ports.ts';
import { buildIndex } from './buildIndex.ts';
import { isIndexCurrentByStamp, isIndexStale } from './indexStaleness.ts';
import { openSnapshot, type KbIndex } from './kbIndex.ts';

export interface PublishedIndexOptions {
  kbDir: string;
  dataDir: string;
  defaultLang: Lang;
  embedder: Embedder;
  wordVectors: WordVectors | null;
  snapshots: SnapshotPublication;
  /** When the full-text index loads (`openSnapshot`'s option): a server's start leaves it for after "ready". */
  fullText?: 'now' | 'later';
}

/**
 * Start on a shared publication (PostgreSQL): serve the published snapshot,
 * downloaded into this DATA_DIR, without building. When none is published
 * yet, build and publish one under the publication's lock, so instances
 * starting together build it once. A published snapshot that differs from
 * this instance's KB_DIR is served with a warning, not replaced: a new KB
 * revision is published on purpose (`npm run index`), so an instance started
 * with an old or missing KB folder cannot change what every instance serves.
 */
export async function loadPublishedIndex(options: PublishedIndexOptions): Promise<KbIndex> {
  const { snapshots } = options;
  const dir = await snapshots.pull();
  if (dir) return openPublished(dir, options);
  return snapshots.exclusive(async () => {
    // Another instance may have published while this one waited for the lock.
    const built = await snapshots.pull();
    if (built) return openPublished(built, options);
    log.info('index', 'no published index yet; building and publishing it', { kbDir: options.kbDir });
    const { kbDir, dataDir, defaultLang, embedder, wordVectors } = options;
    const summary = await buildIndex({ kbDir, dataDir, defaultLang, embedder, wordVectors, publication: snapshots });
    for (const p of summary.problems) log.warn('kb', `${p.file}:${p.line} ${p.message}`, { severity: p.severity });
    log.info('index', 'index published', { id: summary.published?.id, articles: summary.articles, ms: summary.ms });
    return summary.index;
  });
}

async function openPublished(dir: string, options: PublishedIndexOptions): Promise<KbIndex> {
  const index = await openSnapshot(dir, options.embedder, options.wordVectors, { fullText: options.fullText });
  const unchanged = await isIndexCurrentByStamp(options.kbDir, options.dataDir, options.embedder, options.wordVectors);
  const stale =
    !unchanged &&
    (await loadKnowledgeBase(options.kbDir, { defaultLang: options.defaultLang })
      .then((kb) => isIndexStale(kb, options.dataDir, options.embedder, options.wordVectors))
      .catch(() => false));
  if (stale)
    log.warn(
      'index',
      'the published index differs from KB_DIR here; `npm run index` publishes this KB to every instance',
      {
        snapshot: path.basename(dir),
        kbDir: options.kbDir,
      },
    );
  log.info('index', 'serving the published index snapshot', {
    snapshot: path.basename(dir),
    articles: index.articles.size,
  });
  return index;
}
