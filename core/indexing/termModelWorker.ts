// Worker thread of `TermModelThread` (termModelThread.ts): fit the KB's
// term model exactly as `TermModel.build` does on the main thread, and send
// back its parts and its classifier encoded as a snapshot stores them, for the
// main thread to restore (as a warm start restores termmodel.bin). Run from
// the sources through termModelWorker.mjs, which registers tsx first; the
// compiled server runs it compiled beside its bundle (scripts/compileServer.mjs).
import { parentPort, workerData } from 'node:worker_threads';
import { encodeClassifier } from '../answers/codecs/classifierCodec.ts';
import { encodeClassifierTraining } from '../answers/codecs/classifierTrainingCodec.ts';
import { encodeTermModel } from '../answers/codecs/termModelCodec.ts';
import { TermModel } from '../answers/lexical/termModel.ts';
import type { ClassifierRetraining } from '../answers/learners/phraseClassifier.ts';
import { GloveWordVectors } from '../search/gloveWordVectors.ts';
import { threadCpuMs } from '../threadCpu.ts';
import type { FoldTraining } from './foldClassifierThread.ts';
import { SharedRivals } from './rivalsShare.ts';
import type { TermFitRequest, TermFitResult } from './termModelThread.ts';

const { docs, wordVectors, rivals, folds } = workerData as TermFitRequest;
// The same vectors the main thread holds, opened again from their cache file (their rows are read as used).
const vectors = wordVectors ? GloveWordVectors.fromFile(wordVectors.file) : null;
if (vectors && vectors.id !== wordVectors!.id)
  throw new Error(`the word vectors' file holds ${vectors.id}, not ${wordVectors!.id}`);
const help = rivals ? new SharedRivals(rivals.control, rivals.port) : undefined;
// The classifier's training, encoded once on shared memory: the folds' worker retrains from it while this thread
// trains the classifier itself (at 100k articles each is ~12 s that used to follow the other), then the build's
// thread reads the same bytes.
let sharedTraining: Uint8Array | null = null;
const onTraining = ({ training, articleOf, articles, features }: ClassifierRetraining) => {
  sharedTraining = onSharedMemory(encodeClassifierTraining(training));
  if (!folds) return;
  const message: FoldTraining = { training: sharedTraining, articleOf, articles, features };
  folds.postMessage(message, [articleOf.buffer as ArrayBuffer]);
};
const model = TermModel.build(docs, { wordVectors: vectors, rivals: help, onTraining });
// Closed once the rivals are found; closed here too when the fit never needed them, which ends the helper.
rivals?.port.close();
const termModel = encodeTermModel(model.parts());
const saved = model.saveClassifier();
const classifier = saved ? encodeClassifier(saved) : null;
const fitTraining = model.classifierTraining();
const training = sharedTraining ?? (fitTraining ? encodeClassifierTraining(fitTraining) : null);
const result: TermFitResult = { termModel, classifier, training, cpuMs: threadCpuMs() };
// Moved, not copied: the encoded model is 150 MB at 10k articles (the training is shared, not moved).
const moved = [termModel, classifier, training].flatMap((bytes) =>
  bytes && !(bytes.buffer instanceof SharedArrayBuffer) ? [bytes.buffer as ArrayBuffer] : [],
);
parentPort!.postMessage(result, moved);

/** `bytes` copied onto a SharedArrayBuffer: posted to two threads without a copy each. */
function onSharedMemory(bytes: Uint8Array): Uint8Array {
  const shared = new Uint8Array(new SharedArrayBuffer(bytes.byteLength));
  shared.set(bytes);
  return shared;
}
