import { Worker } from 'node:worker_threads';
import { encodeClassifierTraining } from '../answers/codecs/classifierTrainingCodec.ts';
import type { TermModel } from '../answers/lexical/termModel.ts';
import type { SoftmaxModel } from '../answers/learners/softmaxRegression.ts';
import { log } from '../logger.ts';
import { foldClassifierWorkerUrl } from './foldClassifierWorkerUrl.mjs';

/** What the worker retrains: the classifier's training as bytes (classifierTrainingCodec.ts), and each fold's units to leave out. */
export interface FoldRequest {
  training: Uint8Array;
  articleOf: Int32Array;
  articles: number;
  features: number;
  leftOut: Int32Array[];
}

/** What it sends back: a model per fold, in order, and its thread's CPU time (null off Linux). */
export interface FoldResult {
  models: SoftmaxModel[];
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
 * several folds all but the first, a single fold (10k and 100k articles of
 * the bench: 1.5 and 12 s of CPU) while the build's thread writes the
 * snapshot; the other core is idle then. Started at the build's start, so that
 * it has loaded by the time the term model is fitted; `retrain` is
 * coverage.ts's `RetrainBeside`. A worker that fails resolves to null,
 * with a warning, and the build retrains those folds itself.
 */
export class FoldClassifierThread {
  private stopped = false;
  private readonly result: Promise<FoldResult>;
  /** From the request to the models, once they came. */
  wallMs: number | null = null;
  cpuMs: number | null = null;

  private constructor(private readonly worker: Worker) {
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
    try {
      return new FoldClassifierThread(new Worker(options.url ?? foldClassifierWorkerUrl));
    } catch (error) {
      log.warn('index', "could not start the calibration folds' worker thread; retraining them here", { error });
      return null;
    }
  }

  /** `terms`' classifier retrained without each of `leftOut` on the worker: a model per set, or null (logged). */
  readonly retrain = async (
    terms: TermModel,
    leftOut: readonly ReadonlySet<number>[],
  ): Promise<SoftmaxModel[] | null> => {
    const started = performance.now();
    try {
      const retraining = terms.classifierRetraining();
      if (!retraining || this.stopped) return null;
      const { training, articleOf, articles, features } = retraining;
      const request: FoldRequest = {
        training: encodeClassifierTraining(training),
        articleOf,
        articles,
        features,
        leftOut: leftOut.map((units) => Int32Array.from(units)),
      };
      this.worker.ref();
      // Moved, not copied (hundreds of megabytes at 100k articles): both are this call's own.
      this.worker.postMessage(request, [request.training.buffer, articleOf.buffer] as ArrayBuffer[]);
      const { models, cpuMs } = await this.result;
      if (models.length !== leftOut.length) throw new Error(`${models.length} models for ${leftOut.length} folds`);
      this.wallMs = performance.now() - started;
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
}
