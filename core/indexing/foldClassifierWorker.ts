// Worker thread of `FoldClassifierThread` (foldClassifierThread.ts): started
// early in a build, it waits for one request, retrains the classifier without
// each of the folds' units exactly as the build's thread would
// (`PhraseClassifier.retrain`), sends the models back and ends. Run from the
// sources through foldClassifierWorker.mjs, which registers tsx first; the
// compiled server runs it compiled beside its bundle (scripts/compileServer.mjs).
import { parentPort } from 'node:worker_threads';
import { decodeClassifierTraining } from '../answers/codecs/classifierTrainingCodec.ts';
import { PhraseClassifier } from '../answers/learners/phraseClassifier.ts';
import { threadCpuMs } from '../threadCpu.ts';
import type { FoldRequest, FoldResult } from './foldClassifierThread.ts';

parentPort!.once('message', ({ training, articleOf, articles, features, leftOut }: FoldRequest) => {
  const retraining = { training: decodeClassifierTraining(training), articleOf, articles, features };
  const models = leftOut.map((units) => PhraseClassifier.retrain(retraining, new Set(units)));
  const result: FoldResult = { models, cpuMs: threadCpuMs() };
  // Moved, not copied: each model's weights are tens of megabytes at 100k articles.
  parentPort!.postMessage(
    result,
    models.flatMap((m) => [m.rowOf.buffer, m.weights.buffer, m.denseWeights.buffer] as ArrayBuffer[]),
  );
  parentPort!.close();
});
