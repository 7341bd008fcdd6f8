import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Coverage } from '../answers/pipeline/calibration.ts';
import type { KnowledgeBase } from '../articles/loadKb.ts';
import type { CoverageEstimate } from '../contracts/reports.ts';
import { currentSnapshotDir, FILES, type Manifest } from './snapshot.ts';

/** Where listed questions would help most, as estimated when the published index was calibrated. */
export interface IndexedSelfService {
  /** When that index was built. */
  builtAt: string;
  /** Articles were added, removed or edited since: the estimate is of an older KB (`npm run index` renews it). */
  stale: boolean;
  /** Estimated self-service coverage of the KB as indexed; absent when that index was built before it was estimated. */
  coverage?: Coverage;
  /** Weakest first: the articles of the KB on disk, still published, the engine was least sure it could answer. */
  weakest: { articleId: string; title: string }[];
}

/**
 * The estimated self-service coverage the build of `manifest`'s index stored,
 * as figures only (/healthz is public). Null when that index was built
 * before the estimate existed.
 */
export function servedCoverage(manifest: Pick<Manifest, 'calibration' | 'createdAt'>): CoverageEstimate | null {
  const c = manifest.calibration.selfService?.coverage;
  if (!c) return null;
  const share = (x: number) => Math.round(x * 1000) / 1000;
  return {
    answered: share(c.answered),
    offered: share(c.offered),
    probes: c.probes,
    articles: c.articles,
    builtAt: manifest.createdAt,
  };
}

/**
 * The self-service estimate of the index published in `dataDir`, for the KB
 * on disk (`npm run kb -- lint`). Calibrating is the costly part of building
 * an index, so lint reads what the last build found rather than fitting it
 * again. Null when no index was built, or it was built from another KB.
 */
export async function indexedSelfService(kb: KnowledgeBase, dataDir: string): Promise<IndexedSelfService | null> {
  const dir = await currentSnapshotDir(dataDir);
  if (!dir) return null;
  const manifest = JSON.parse(await fs.readFile(path.join(dir, FILES.manifest), 'utf8')) as Manifest;
  const articles = new Map(kb.articles.map((a) => [a.id, a]));
  const indexed = Object.keys(manifest.hashes);
  if (!indexed.some((id) => articles.has(id))) return null;
  const stale =
    indexed.length !== kb.articles.length ||
    JSON.stringify(manifest.synonyms) !== JSON.stringify(kb.synonyms) ||
    kb.articles.some((a) => manifest.hashes[a.id] !== a.hash);
  const weakest = (manifest.calibration.selfService?.weakest ?? [])
    .map((id) => articles.get(id))
    .filter((a) => a?.status === 'published')
    .map((a) => ({ articleId: a!.id, title: a!.title }));
  const coverage = manifest.calibration.selfService?.coverage;
  return { builtAt: manifest.createdAt, stale, ...(coverage ? { coverage } : {}), weakest };
}
