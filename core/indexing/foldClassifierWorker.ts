// Worker thread of `FoldClassifierThread` (foldClassifierThread.ts): started
// early in a build, it waits for the folds' units (from the build's thread)
// and the classifier's training (from the term model's worker as soon as it
// has it, else from the build's thread), retrains the classifier without each
// fold's units exactly as the build's thread would (`PhraseClassifier.retrain`),
// sends the models back and ends. Run from the sources through
// foldClassifierWorker.mjs, which registers tsx first; the compiled server
// runs it compiled beside its bundle (scripts/compileServer.mjs).
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { decodeClassifierTraining } from '../answers/codecs/classifierTrainingCodec.ts';
import { PhraseClassifier } from '../answers/learners/phraseClassifier.ts';
import { threadCpuMs } from '../threadCpu.ts';
import type { FoldMessage, FoldResult, FoldTraining } from './foldClassifierThread.ts';

const { training: trainingPort } = workerData as { training: MessagePort };
let leftOut: Int32Array[] | null = null;
let training: FoldTraining | null = null;

const take = (message: FoldMessage) => {
  if ('leftOut' in message) leftOut = message.leftOut;
  // The first training to come: either source sends the same bytes.
  else training ??= message;
  if (leftOut && training) retrain(leftOut, training);
};
parentPort!.on('message', take);
trainingPort.on('message', take);

function retrain(units: Int32Array[], { training: bytes, articleOf, articles, features }: FoldTraining): void {
  const started = performance.now();
  parentPort!.off('message', take);
  trainingPort.close();
  const retraining = { training: decodeClassifierTraining(bytes), articleOf, articles, features };
  const models = units.map((u) => PhraseClassifier.retrain(retraining, new Set(u)));
  const result: FoldResult = { models, wallMs: performance.now() - started, cpuMs: threadCpuMs() };
  // Moved, not copied: each model's weights are tens of megabytes at 100k articles.
  parentPort!.postMessage(
    result,
    models.flatMap((m) => [m.rowOf.buffer, m.weights.buffer, m.denseWeights.buffer] as ArrayBuffer[]),
  );
  parentPort!.close();
}
