import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { indexRoot } from './snapshot.ts';

/**
 * Where the build writes its vectors and the worker the graph: beside the snapshots (a crash leaves them for the
 * next publish to prune), else temp files.
 */
export async function buildingFilesFor(dataDir: string | undefined): Promise<{ graph: string; vectors: string }> {
  const name = `${Date.now()}-${Math.random().toString(36).slice(2)}-${process.pid}`;
  if (!dataDir)
    return {
      graph: path.join(os.tmpdir(), `deflect-graph-${name}.hnsw`),
      vectors: path.join(os.tmpdir(), `deflect-vectors-${name}.f32`),
    };
  await fs.mkdir(indexRoot(dataDir), { recursive: true });
  return {
    graph: path.join(indexRoot(dataDir), `.building-graph-${name}`),
    vectors: path.join(indexRoot(dataDir), `.building-vectors-${name}`),
  };
}

/** Remove a build's files (a build that failed, or one without a data folder). */
export async function removeFiles(files: { graph: string; vectors: string }): Promise<void> {
  await Promise.all([fs.rm(files.graph, { force: true }), fs.rm(files.vectors, { force: true })]);
}
