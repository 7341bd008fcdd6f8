import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import type { Article } from '../articles/types.ts';
import { decodeClassifier } from '../answers/codecs/classifierCodec.ts';
import { decodeClassifierTraining } from '../answers/codecs/classifierTrainingCodec.ts';
import { decodeTermModel } from '../answers/codecs/termModelCodec.ts';
import type { ClassifierTraining, SavedClassifier } from '../answers/learners/phraseClassifier.ts';
import { plainTermDoc, termDocOf, type TermDoc, type TermModelParts } from '../answers/lexical/termModel.ts';
import { GloveWordVectors } from '../search/gloveWordVectors.ts';
import type { WordVectors } from '../search/ports.ts';
import { log } from '../logger.ts';
import type { FoldClassifierThread } from './foldClassifierThread.ts';
import { controlBlock, helperGone } from './rivalsShare.ts';
import { rivalsWorkerUrl, termModelWorkerUrl } from './termModelWorkerUrl.mjs';

/** What the worker fits the model on: the articles' texts, and where it opens the same word vectors. */
export interface TermFitRequest {
  docs: TermDoc[];
  wordVectors: { id: string; file: string } | null;
  /** The rivals' helper thread's shared control block and the port to send it the centroids on (rivalsShare.ts). */
  rivals?: { control: Int32Array; port: MessagePort } | null;
  /** Where to send the classifier's training as soon as it is known (the folds' worker: `FoldClassifierThread`). */
  folds?: MessagePort | null;
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
 * From this many articles a second thread helps the worker find the
 * classifier's rivals (rivalsShare.ts): below it they cost less than the
 * helper's start.
 */
export const RIVALS_HELPER_MIN_ARTICLES = 2000;

/**
 * The KB's term model fitted on a worker thread (termModelWorker.ts) while
 * the build's thread embeds the articles and builds the full-text index: the
 * model reads the articles' texts only, not their vectors. `fitted` resolves
 * to its parts for the build's thread to restore the model from, or to null
 * when the worker failed (logged): the caller then fits it itself, as
 * without a worker. On a large KB a second thread (rivalsWorker.ts) helps
 * the worker find the classifier's rivals; when it fails (logged) the worker
 * finds what it left.
 */
export class TermModelThread {
  private stopped = false;
  /** From the start to the result, once `fitted` resolved to one. */
  wallMs: number | null = null;
  /** The worker thread's own CPU time, once `fitted` resolved to a result (null off Linux). */
  cpuMs: number | null = null;
  readonly fitted: Promise<FittedTerms | null>;

  private constructor(
    private readonly worker: Worker,
    private readonly helper: Helper | null,
    articles: number,
    private readonly started: number,
    folds: FoldClassifierThread | null,
  ) {
    this.fitted = new Promise<FittedTerms>((resolve, reject) => {
      worker.once('message', (result: TermFitResult) => {
        try {
          const parts = decodeTermModel(result.termModel);
          const classifier = result.classifier ? decodeClassifier(result.classifier) : undefined;
          const training = result.training ? decodeClassifierTraining(result.training) : undefined;
          this.wallMs = performance.now() - this.started;
          this.cpuMs = result.cpuMs;
          // Sent on the folds' port before the result, as soon as the rivals were found.
          if (training) folds?.trainingArrivedBeside();
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
      // Its rivals are not needed any more (its port closed with the worker, it would end by itself).
      this.stopHelper();
      return null;
    });
  }

  /**
   * The rivals' helper's wall (from the start to the end of its share) and
   * CPU time (null off Linux), once it has ended; null without a helper, or
   * when it ended without saying them (failed or stopped).
   */
  helperEnded(): Promise<{ wallMs: number; cpuMs: number | null } | null> {
    return this.helper?.ended ?? Promise.resolve(null);
  }

  /**
   * Start fitting the model of `articles` with `wordVectors` on a worker, or
   * null when this build fits it on its own thread: a small KB, or word
   * vectors another thread cannot open (only GloVe's cache file can be).
   */
  static start(
    articles: readonly Article[],
    wordVectors: WordVectors | null,
    options: TermThreadOptions = {},
  ): TermModelThread | null {
    const thread = TermModelThread.startWorker(articles, wordVectors, options);
    // The folds' worker is sent the training by the build's thread then.
    if (!thread) options.folds?.trainingPort.close();
    return thread;
  }

  private static startWorker(
    articles: readonly Article[],
    wordVectors: WordVectors | null,
    options: TermThreadOptions,
  ): TermModelThread | null {
    if (articles.length < (options.minArticles ?? TERM_WORKER_MIN_ARTICLES)) return null;
    if (wordVectors && !(wordVectors instanceof GloveWordVectors && wordVectors.file)) return null;
    const started = performance.now();
    const helper =
      articles.length >= (options.helperMinArticles ?? RIVALS_HELPER_MIN_ARTICLES)
        ? startHelper(articles.length, options.helperUrl ?? rivalsWorkerUrl, started)
        : null;
    const request: TermFitRequest = {
      docs: articles.map((a) => plainTermDoc(termDocOf(a))),
      wordVectors: wordVectors ? { id: wordVectors.id, file: (wordVectors as GloveWordVectors).file! } : null,
      rivals: helper && { control: helper.control, port: helper.port },
      folds: options.folds?.trainingPort ?? null,
    };
    const ports = [helper?.port, options.folds?.trainingPort].filter((p): p is MessagePort => !!p);
    let worker: Worker;
    try {
      worker = new Worker(termModelWorkerUrl, { workerData: request, transferList: ports });
    } catch (error) {
      log.warn('index', "could not start the term model's worker thread; fitting it here", { error });
      if (helper) stop(helper);
      return null;
    }
    return new TermModelThread(worker, helper, articles.length, started, options.folds ?? null);
  }

  /** Stop the worker (a build that failed); `fitted` then resolves to null, without a warning. */
  stop(): void {
    this.stopped = true;
    this.stopHelper();
    void this.worker.terminate();
  }

  private stopHelper(): void {
    if (this.helper) stop(this.helper);
  }
}

/** How `TermModelThread.start` starts its threads. */
export interface TermThreadOptions {
  minArticles?: number;
  helperMinArticles?: number;
  /** The helper's entry (rivalsWorker.mjs; specs: one that fails). */
  helperUrl?: URL;
  /** The folds' worker: sent the classifier's training by the worker (on its `trainingPort`), told when it was. */
  folds?: FoldClassifierThread | null;
}

/** The rivals' helper thread, as the thread that started it sees it. */
interface Helper {
  worker: Worker;
  control: Int32Array;
  /** The fit's end of the port the helper is sent the centroids on. */
  port: MessagePort;
  ended: Promise<{ wallMs: number; cpuMs: number | null } | null>;
  /** Stopped on purpose: its exit is not a failure. */
  stopped: boolean;
}

function stop(helper: Helper): void {
  helper.stopped = true;
  void helper.worker.terminate();
}

/**
 * The rivals' helper thread, started now (its start overlaps the fit's first
 * stages), or null when it cannot start (logged: the worker then finds the
 * rivals alone). Whenever it exits, the worker is told it does no more work.
 */
function startHelper(articles: number, url: URL, started: number): Helper | null {
  const control = controlBlock();
  const { port1, port2 } = new MessageChannel();
  let worker: Worker;
  try {
    worker = new Worker(url, { workerData: { control, port: port2 }, transferList: [port2] });
  } catch (error) {
    log.warn('index', "could not start the rivals' helper thread; the term model's worker finds them alone", { error });
    return null;
  }
  let failed = false;
  let said: { wallMs: number; cpuMs: number | null } | null = null;
  worker.once('message', ({ cpuMs }: { cpuMs: number | null }) => {
    said = { wallMs: performance.now() - started, cpuMs };
  });
  worker.once('error', (error) => {
    failed = true;
    log.warn('index', "the rivals' helper thread failed; the term model's worker finds the rest", { articles, error });
  });
  const ended = new Promise<{ wallMs: number; cpuMs: number | null } | null>((resolve) =>
    worker.once('exit', (code) => {
      helperGone(control);
      if (code !== 0 && !failed && !helper.stopped)
        log.warn('index', "the rivals' helper thread exited; the term model's worker finds the rest", {
          articles,
          code,
        });
      resolve(said);
    }),
  );
  const helper: Helper = { worker, control, port: port1, ended, stopped: false };
  return helper;
}
