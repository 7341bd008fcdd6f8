import { buildIndex } from '../core/indexing/buildIndex.ts';
import { HashingEmbedder } from '../core/search/hashingEmbedder.ts';
import { configuredWordVectors } from './wordVectors.ts';
import { tempDir } from '../test/helpers/tempDir.ts';
import { writeRealisticKb } from './realisticKb.ts';

/** Index build time and memory for synthetic KBs: `tsx bench/indexing.ts 1000 10000`. */
export async function benchIndexing(
  size: number,
  /** Runs on the built index before its folders are removed (memory and request profiles). */
  then?: (dirs: { kbDir: string; dataDir: string; questions: string[] }) => Promise<void>,
): Promise<{ size: number; seconds: number; cpuSeconds: number; perThousand: number; rssMb: number; vectors: number }> {
  const kb = tempDir('deflect-bench-kb-');
  const data = tempDir('deflect-bench-data-');
  try {
    const { questions } = writeRealisticKb(kb.dir, size);
    const wordVectors = await configuredWordVectors(); // loaded as a server does before it builds: not part of the build
    const t = performance.now();
    // CPU time as well as wall time: on a shared machine the wall time says more about the neighbours.
    const cpu = process.cpuUsage();
    const s = await buildIndex({
      kbDir: kb.dir,
      dataDir: data.dir,
      embedder: new HashingEmbedder(),
      wordVectors,
      defaultLang: 'en',
    });
    const seconds = (performance.now() - t) / 1000;
    const used = process.cpuUsage(cpu);
    const rssMb = process.memoryUsage().rss / 1e6;
    await then?.({ kbDir: kb.dir, dataDir: data.dir, questions: questions.map((q) => q.text) });
    return {
      size,
      seconds,
      perThousand: seconds / (size / 1000),
      cpuSeconds: (used.user + used.system) / 1e6,
      rssMb,
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
      `${r.size} articles: ${r.seconds.toFixed(1)} s (${r.cpuSeconds.toFixed(1)} s CPU; ${r.perThousand.toFixed(2)} s per 1k), ${r.vectors} vectors, RSS ${r.rssMb.toFixed(0)} MB`,
    );
  }
}
