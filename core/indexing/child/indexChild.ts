import { createEmbedder, createWordVectors, initEmbedder } from '../../engineModels.ts';
import { configureLogger } from '../../logger.ts';
import { buildIndex } from '../buildIndex.ts';
import type { ChildBuilt, ChildRequest } from './buildInChild.ts';

/*
 * A server's first index build, in a child process of its own (buildInChild.ts): told the server's config, it
 * builds and publishes the snapshot as the server would have, says what it built, and exits, so the build's
 * peak memory goes with it.
 */

process.once('message', (request: ChildRequest) => {
  void build(request).then(
    (built) => process.send!(built, () => process.exit(0)),
    (error: Error) => process.send!({ error: error.message } satisfies ChildBuilt, () => process.exit(1)),
  );
});

async function build({ config, rebuild, logger }: ChildRequest): Promise<ChildBuilt> {
  configureLogger(logger);
  const embedder = await initEmbedder(createEmbedder(config));
  const summary = await buildIndex({
    kbDir: config.kbDir,
    dataDir: config.dataDir,
    embedder,
    wordVectors: await createWordVectors(config),
    defaultLang: config.defaultLang,
    rebuild,
  });
  const { articles, vectors, ms, stages, problems, snapshotDir } = summary;
  if (!snapshotDir) throw new Error('the build published no snapshot');
  return { summary: { articles, vectors, ms, stages, problems, snapshotDir } };
}
