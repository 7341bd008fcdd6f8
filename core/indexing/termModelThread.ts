import { Worker } from 'node:worker_threads';
import type { Article } from '../articles/types.ts';
import { decodeClassifier } from '../answers/codecs/classifierCodec.ts';
import { decodeClassifierTraining } from '../answers/codecs/classifierTrainingCodec.ts';
import { decodeTermModel } from '../answers/codecs/termModelCodec.ts';
import type { ClassifierTraining, SavedClassifier } from '../answers/learners/phraseClassifier.ts';
import { termDocOf, type TermDoc, type TermModelParts } from '../answers/lexical/termModel.ts';
import { GloveWordVectors } from '../search/gloveWordVectors.ts';
import type { WordVectors } from '../search/ports.ts';
import { log } from '../logger.ts';
import { termModelWorkerUrl } from './termModelWorkerUrl.mjs';

/** What the worker fits the model on: the articles' texts, and where it opens the same word vectors. */
export interface TermFitRequest {
  docs: TermDoc[];
  wordVectors: { id: string; file: string } | null;
}

/** What the worker sends back: the model's parts and its classifier as a snapshot stores them (termmodel.bin, classifier.bin). */
export interface TermFitResult {
  termModel: Uint8Array;
  classifier: Uint8Array | null;
  /** What calibration retrains the classifier from (classifierTrainingCodec.ts). */
  training: Uint8Array | null;
  /** The worker thread's own CPU time (null off Linux). */
  cpuMs: number | null;
}

/** A fitted term model as a snapshot holds it: what `TermModel.restore` takes. */
export interface FittedTerms {
  parts: TermModelParts;
  classifier: SavedClassifier | undefined;
  /** What the classifier is retrained from, as the fit had it: a restored model need not compute it again. */
  training: ClassifierTraining | undefined;
}

/**
 * Below this many articles the model is fitted on the build's own thread:
 * starting the worker (and, from the sources, tsx in it) costs more than the
 * fit it would move.
 */
export const TERM_WORKER_MIN_ARTICLES = 200;

/**
 * The KB's term model fitted on a worker thread (termModelWorker.ts) while
 * the build's thread embeds the articles and builds the full-text index: the
 * model reads the articles' texts only, not their vectors. `fitted` resolves
 * to its parts for the build's thread to restore the model from, or to null
 * when the worker failed (logged): the caller then fits it itself, as
 * without a worker.
 */
export class TermModelThread {
  private readonly started = performance.now();
  private stopped = false;
  /** From the start to the result, once `fitted` resolved to one. */
  wallMs: number | null = null;
  /** The worker thread's own CPU time, once `fitted` resolved to a result (null off Linux). */
  cpuMs: number | null = null;
  readonly fitted: Promise<FittedTerms | null>;

  private constructor(
    private readonly worker: Worker,
    articles: number,
  ) {
    this.fitted = new Promise<FittedTerms>((resolve, reject) => {
      worker.once('message', (result: TermFitResult) => {
        try {
          const parts = decodeTermModel(result.termModel);
          const classifier = result.classifier ? decodeClassifier(result.classifier) : undefined;
          const training = result.training ? decodeClassifierTraining(result.training) : undefined;
          this.wallMs = performance.now() - this.started;
          this.cpuMs = result.cpuMs;
          resolve({ parts, classifier, training });
        } catch (error) {
          reject(error);
        }
      });
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`the term model's worker exited with code ${code}`)));
    }).catch((error: unknown) => {
      if (!this.stopped)
        log.warn('index', 'fitting the term model on a worker thread failed; fitting it here', { articles, error });
      return null;
    });
  }

  /**
   * Start fitting the model of `articles` with `wordVectors` on a worker, or
   * null when this build fits it on its own thread: a small KB, or word
   * vectors another thread cannot open (only GloVe's cache file can be).
   */
  static start(
    articles: readonly Article[],
    wordVectors: WordVectors | null,
    options: { minArticles?: number } = {},
  ): TermModelThread | null {
    if (articles.length < (options.minArticles ?? TERM_WORKER_MIN_ARTICLES)) return null;
    if (wordVectors && !(wordVectors instanceof GloveWordVectors && wordVectors.file)) return null;
    const request: TermFitRequest = {
      // As data: a doc's passages are a getter, which the copy to the worker must not depend on.
      docs: articles.map((a) => ({ ...termDocOf(a) })),
      wordVectors: wordVectors ? { id: wordVectors.id, file: (wordVectors as GloveWordVectors).file! } : null,
    };
    let worker: Worker;
    try {
      worker = new Worker(termModelWorkerUrl, { workerData: request });
    } catch (error) {
      log.warn('index', "could not start the term model's worker thread; fitting it here", { error });
      return null;
    }
    return new TermModelThread(worker, articles.length);
  }

  /** Stop the worker (a build that failed); `fitted` then resolves to null, without a warning. */
  stop(): void {
    this.stopped = true;
    void this.worker.terminate();
  }
}
