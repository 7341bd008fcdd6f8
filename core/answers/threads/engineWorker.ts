import { parentPort, workerData } from 'node:worker_threads';
import { createEmbedder, createWordVectors, initEmbedder } from '../../engineModels.ts';
import { dropBodies } from '../../articles/servedArticle.ts';
import { applyDelta, DeltaState } from '../../indexing/applyDelta.ts';
import { BodiesLeftOutError, openSnapshot, type KbIndex } from '../../indexing/kbIndex.ts';
import type { SnapshotDelta } from '../../indexing/snapshotDelta.ts';
import { configureLogger } from '../../logger.ts';
import { thresholdsOf } from '../../thresholds.ts';
import { AnswerEngine } from '../pipeline/answerEngine.ts';
import { warmUp } from '../pipeline/warmUp.ts';
import { toWire, type FromWorker, type ToWorker, type WorkerData } from './wire.ts';

/*
 * An engine worker thread (engineThreads.ts): it opens the index the main
 * thread serves, follows the snapshots and deltas it is told of, in order,
 * and answers questions on the last one, saying which generation answered.
 * The full-text index is never loaded here: the engine does not read it.
 */

const port = parentPort!;
const { config, logger } = workerData as WorkerData;
configureLogger(logger);
const post = (message: FromWorker) => port.postMessage(message);

const embedder = await initEmbedder(createEmbedder(config));
const wordVectors = await createWordVectors(config);

/** What answers: the snapshot opened (`base`), with the last delta on it applied (`index`); deltas are cumulative. */
interface Served {
  base: KbIndex;
  index: KbIndex;
  generation: number;
  state: DeltaState;
}

let served: Served | null = null;
const engine = new AnswerEngine(() => served!.index, {
  defaultLang: config.defaultLang,
  thresholds: thresholdsOf(config),
});

/** Snapshots and deltas apply one after the other, in the order sent; questions do not wait for them. */
let following = Promise.resolve();

port.on('message', (message: ToWorker) => {
  if (message.type === 'ask') void ask(message.id, message.query);
  else following = following.then(() => follow(message));
});

async function ask(id: number, query: Extract<ToWorker, { type: 'ask' }>['query']): Promise<void> {
  // Read before answering: the engine reads the index once, at its start, so this is the generation that answers.
  const now = served;
  if (!now) return post({ type: 'failed', id, error: 'no index open' });
  try {
    post({ type: 'answer', id, generation: now.generation, result: toWire(await engine.answer(query)) });
  } catch (error) {
    post({ type: 'failed', id, error: (error as Error).message });
  }
}

async function follow(message: Exclude<ToWorker, { type: 'ask' }>): Promise<void> {
  const { generation } = message;
  try {
    if (message.type === 'snapshot') {
      served = null;
      // Over the main thread's shared memory: the large binary files are not read or held again. Without the
      // articles' bodies, headings and links, each let go of as it is read (answers go back as article ids, presented
      // from the main thread's articles): read and let go of afterwards, they left ~150 MB of holes in the heap at
      // 100k articles.
      const open = (bodies: boolean) =>
        openSnapshot(message.dir, embedder, wordVectors, { fullText: 'later', files: message.files, bodies });
      // A stored model that does not fit is fitted from the bodies, as the main thread fitted it.
      const index = await open(false).catch((error) =>
        error instanceof BodiesLeftOutError ? open(true) : Promise.reject(error),
      );
      // The main thread's columns of this model, instead of this thread's own (188 MB at 100k articles).
      if (message.columns) index.terms.useColumns(message.columns);
      // A chunk's text asked for here throws, instead of reading an empty body.
      dropBodies(index.articles.values());
      served = withDelta({ base: index, index, generation, state: new DeltaState() }, message.delta);
    } else {
      if (!served) throw new Error('no index to apply the delta to');
      served = withDelta({ ...served, generation }, message.delta);
    }
    // Before it says so: no question comes until then, and its first answer would keep the ones it was handed waiting.
    await warmUp(served.index, config.defaultLang);
    post({ type: 'index', generation });
  } catch (error) {
    served = null;
    post({ type: 'index', generation, error: (error as Error).message });
  }
}

/** Each delta holds every change since the snapshot: applied to the snapshot, as DeltaFollower does. */
function withDelta(at: Served, delta: SnapshotDelta | undefined): Served {
  return delta ? { ...at, index: applyDelta(at.base, delta, at.state) } : at;
}
