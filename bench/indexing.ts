import { buildIndex } from '../core/indexing/buildIndex.ts';
import { HashingEmbedder } from '../core/search/hashingEmbedder.ts';
import { configuredWordVectors } from './wordVectors.ts';
import { tempDir } from '../test/helpers/tempDir.ts';
import { writeSyntheticKb } from './synthKb.ts';

/** Index build time and memory for synthetic KBs: `tsx bench/indexing.ts 1000 10000`. */
export async function benchIndexing(
  size: number,
): Promise<{ size: number; seconds: number; perThousand: number; rssMb: number; vectors: number }> {
  const kb = tempDir('deflect-bench-kb-');
  const data = tempDir('deflect-bench-data-');
  try {
    writeSyntheticKb(kb.dir, size);
    const wordVectors = await configuredWordVectors(); // loaded as a server does before it builds: not part of the build
    const t = performance.now();
    const s = await buildIndex({
      kbDir: kb.dir,
      dataDir: data.dir,
      embedder: new HashingEmbedder(),
      wordVectors,
      defaultLang: 'en',
    });
    const seconds = (performance.now() - t) / 1000;
    return {
      size,
      seconds,
      perThousand: seconds / (size / 1000),
      rssMb: process.memoryUsage().rss / 1e6,
      vectors: s.vectors,
    };
  } finally {
    kb.cleanup();
    data.cleanup();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const n of process.argv.slice(2).map(Number)) {
    const r = await benchIndexing(n);
    console.log(
      `${r.size} articles: ${r.seconds.toFixed(1)} s (${r.perThousand.toFixed(2)} s per 1k), ${r.vectors} vectors, RSS ${r.rssMb.toFixed(0)} MB`,
    );
  }
}
