import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { encodeClassifierTraining } from '../answers/codecs/classifierTrainingCodec.ts';
import type { TermModel } from '../answers/lexical/termModel.ts';
import type { SoftmaxModel } from '../answers/learners/softmaxRegression.ts';
import { log } from '../logger.ts';
import { foldClassifierWorkerUrl } from './foldClassifierWorkerUrl.mjs';

/** What the worker retrains from: the classifier's training as bytes (classifierTrainingCodec.ts), each unit's article, the sizes. */
export interface FoldTraining {
  training: Uint8Array;
  articleOf: Int32Array;
  articles: number;
  features: number;
}

/**
 * What the worker is sent, each as soon as it is known: each fold's units to
 * leave out (the build's thread), and the training, from the term model's
 * worker on `trainingPort` or else from the build's thread. It retrains once
 * it has both.
 */
export type FoldMessage = { leftOut: Int32Array[] } | FoldTraining;

/** What it sends back: a model per fold, in order, the retraining's wall and its thread's CPU time (null off Linux). */
export interface FoldResult {
  models: SoftmaxModel[];
  wallMs: number;
  cpuMs: number | null;
}

/**
 * Below this many articles a build retrains its calibration folds on its
 * own thread: at 1,000 articles a fold retrains in about 0.3 s, less than
 * starting a worker (and, from the sources, tsx in it) costs.
 */
export const FOLD_WORKER_MIN_ARTICLES = 2000;

/**
 * A worker thread that retrains the calibration folds' classifiers beside
 * the build's thread (coverage.ts's `prepareCalibrationBeside`): of
 * several folds all but the first, else the single fold (10k and 100k
 * articles of the bench: 1.5 and 12 s of CPU). Started at the build's start,
 * it is told the folds' units early (`holdOut`), and the term model's worker
 * sends it the classifier's training (`trainingPort`) as soon as the rivals
 * are found: it retrains while that worker trains the classifier itself, and
 * the models are there when the build's thread calibrates. `retrain` is
 * coverage.ts's `RetrainBeside`. A worker that fails resolves to null, with a
 * warning, and the build retrains those folds itself.
 */
export class FoldClassifierThread {
  private stopped = false;
  private readonly result: Promise<FoldResult>;
  /** The units sent early (`holdOut`), which `retrain` must be asked for. */
  private heldOut: readonly ReadonlySet<number>[] | null = null;
  private trainingSent = false;
  /** The worker's retraining, from having both the units and the training to the models, once they came. */
  wallMs: number | null = null;
  cpuMs: number | null = null;

  private constructor(
    private readonly worker: Worker,
    /** The end the term model's worker sends the training on (`TermModelThread.start`'s `foldPort`). */
    readonly trainingPort: MessagePort,
  ) {
    this.result = new Promise<FoldResult>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`the calibration folds' worker exited with code ${code}`)));
    });
    // Awaited by `retrain` only: a worker failing before (or never asked) must not count as unhandled.
    this.result.catch(() => undefined);
    // Waiting for a request, it must not keep the process alive: `retrain` holds it while it works.
    worker.unref();
  }

  /** A worker for a build of `articles` articles, or null below `minArticles` (FOLD_WORKER_MIN_ARTICLES). */
  static start(articles: number, options: { minArticles?: number; url?: URL } = {}): FoldClassifierThread | null {
    if (articles < (options.minArticles ?? FOLD_WORKER_MIN_ARTICLES)) return null;
    const { port1, port2 } = new MessageChannel();
    try {
      const worker = new Worker(options.url ?? foldClassifierWorkerUrl, {
        workerData: { training: port2 },
        transferList: [port2],
      });
      return new FoldClassifierThread(worker, port1);
    } catch (error) {
      log.warn('index', "could not start the calibration folds' worker thread; retraining them here", { error });
      port1.close();
      return null;
    }
  }

  /**
   * Tell the worker now which units each fold leaves out (coverage.ts's
   * `leftOutBeside`): it retrains as soon as it has the training. `retrain`
   * must then be asked for the same units (else it fails, and the build
   * retrains them itself).
   */
  holdOut(leftOut: readonly ReadonlySet<number>[]): void {
    if (this.stopped || !leftOut.length) return;
    this.heldOut = leftOut;
    this.post({ leftOut: leftOut.map((units) => Int32Array.from(units)) });
  }

  /** The term model's worker sent the training on `trainingPort` (it fitted a classifier): `retrain` need not. */
  trainingArrivedBeside(): void {
    this.trainingSent = true;
  }

  /** `terms`' classifier retrained without each of `leftOut` on the worker: a model per set, or null (logged). */
  readonly retrain = async (
    terms: TermModel,
    leftOut: readonly ReadonlySet<number>[],
  ): Promise<SoftmaxModel[] | null> => {
    try {
      if (this.stopped) return null;
      if (this.heldOut && !sameSets(this.heldOut, leftOut))
        throw new Error('the folds held out early are not the calibration plan’s');
      if (!this.heldOut) this.post({ leftOut: leftOut.map((units) => Int32Array.from(units)) });
      if (!this.trainingSent) {
        const retraining = terms.classifierRetraining();
        if (!retraining) return null;
        const { training, articleOf, articles, features } = retraining;
        const message: FoldTraining = { training: encodeClassifierTraining(training), articleOf, articles, features };
        // Moved, not copied (hundreds of megabytes at 100k articles): both are this call's own.
        this.post(message, [message.training.buffer, articleOf.buffer] as ArrayBuffer[]);
      }
      this.worker.ref();
      const { models, wallMs, cpuMs } = await this.result;
      if (models.length !== leftOut.length) throw new Error(`${models.length} models for ${leftOut.length} folds`);
      this.wallMs = wallMs;
      this.cpuMs = cpuMs;
      return models;
    } catch (error) {
      if (!this.stopped)
        log.warn('index', 'retraining the calibration folds on a worker thread failed; retraining them here', {
          folds: leftOut.length,
          error,
        });
      this.stop();
      return null;
    }
  };

  /** End the worker (unused, or a build that failed); a `retrain` waiting then resolves to null, without a warning. */
  stop(): void {
    this.stopped = true;
    void this.worker.terminate();
  }

  private post(message: FoldMessage, transfer: ArrayBuffer[] = []): void {
    this.worker.postMessage(message, transfer);
  }
}

function sameSets(a: readonly ReadonlySet<number>[], b: readonly ReadonlySet<number>[]): boolean {
  return a.length === b.length && a.every((s, k) => s.size === b[k]!.size && [...s].every((u) => b[k]!.has(u)));
}
