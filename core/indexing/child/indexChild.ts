import { createEmbedder, createWordVectors, initEmbedder } from '../../engineModels.ts';
import { configureLogger } from '../../logger.ts';
import { buildIndex } from '../buildIndex.ts';
import type { ChildBuilt, ChildRequest } from './buildInChild.ts';

/*
 * A server's first index build, in a child process of its own (buildInChild.ts): told the server's config, it
 * builds and publishes the snapshot as the server would have, says what it built, and exits, so the build's
 * peak memory goes with it.
 */

// A server that stops (or dies) while its child builds takes the build with it: nothing publishes behind its back.
// (Gone already, while this module loaded: the same.)
if (!process.connected) process.exit(1);
process.once('disconnect', () => process.exit(1));
process.once('message', (request: ChildRequest) => {
  const reply = (message: ChildBuilt, code: number) =>
    process.send!(message, (error) => process.exit(error ? 1 : code));
  void build(request).then(
    (built) => reply(built, 0),
    (error: Error) => reply({ error: error.message }, 1),
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
