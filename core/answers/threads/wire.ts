import type { Config } from '../../config/index.ts';
import type { loggerSettings } from '../../logger.ts';
import type { SnapshotDelta } from '../../indexing/snapshotDelta.ts';
import type { SnapshotFiles } from '../../indexing/snapshot.ts';
import type { SharedColumns } from '../lexical/termScoring.ts';
import type { Article } from '../../articles/types.ts';
import type { EngineQuery, EngineResult, RankedArticle } from '../pipeline/answerEngine.ts';

/*
 * What the main thread and an engine worker thread (engineWorker.ts) say to
 * each other. The worker answers by article id: the main thread presents its
 * own articles, of the same index generation, so an answer made on a thread
 * looks exactly like one made here.
 */

/** The settings a worker makes its engine with (a structured clone of the server's config, its secrets included: one process). */
export type WorkerConfig = Pick<
  Config,
  'embedder' | 'hashingDimensions' | 'backends' | 'wordVectors' | 'defaultLang' | 'answerThreshold' | 'clarifyThreshold'
>;

/** Only what a worker needs of `config`. */
export function workerConfigOf(config: WorkerConfig): WorkerConfig {
  const { embedder, hashingDimensions, backends, wordVectors, defaultLang, answerThreshold, clarifyThreshold } = config;
  return { embedder, hashingDimensions, backends, wordVectors, defaultLang, answerThreshold, clarifyThreshold };
}

export interface WorkerData {
  config: WorkerConfig;
  /** The main thread's logger settings (level, e-mails masked). */
  logger: ReturnType<typeof loggerSettings>;
}

/** Each index the main thread serves has a generation; a worker answers only on the one it was told last. */
export type ToWorker =
  /** Open `dir` (with `files` shared), then apply `delta` when there is one. */
  | {
      type: 'snapshot';
      generation: number;
      dir: string;
      files?: SnapshotFiles;
      columns?: SharedColumns;
      delta?: SnapshotDelta;
    }
  | { type: 'delta'; generation: number; delta: SnapshotDelta }
  | { type: 'ask'; id: number; query: EngineQuery };

export type FromWorker =
  /** The index of `generation` is open (or failed to open: `error`; the worker then answers nothing until the next). */
  | { type: 'index'; generation: number; error?: string }
  | { type: 'answer'; id: number; generation: number; result: WireResult }
  | { type: 'failed'; id: number; error: string };

export interface WireRanked {
  id: string;
  confidence: number;
  score: number;
}

export interface WireResult extends Omit<EngineResult, 'answer' | 'ranked' | 'options'> {
  /** Index into `ranked` of the answer (the engine answers with its first). */
  answer: number | null;
  ranked: WireRanked[];
  options: WireRanked[];
}

export function toWire(result: EngineResult): WireResult {
  const wire = (r: RankedArticle): WireRanked => ({ id: r.article.id, confidence: r.confidence, score: r.score });
  const { answer, ranked, options, ...rest } = result;
  return {
    ...rest,
    answer: answer ? ranked.indexOf(answer) : null,
    ranked: ranked.map(wire),
    options: options.map(wire),
  };
}

/** The result with `articles`' own objects, or null when one of its articles is not there (another index's answer). */
export function fromWire(result: WireResult, articles: ReadonlyMap<string, Article>): EngineResult | null {
  const ranked: RankedArticle[] = [];
  const options: RankedArticle[] = [];
  for (const [from, to] of [
    [result.ranked, ranked],
    [result.options, options],
  ] as const)
    for (const { id, confidence, score } of from) {
      const article = articles.get(id);
      if (!article) return null;
      to.push({ article, confidence, score });
    }
  const { answer, ranked: _r, options: _o, ...rest } = result;
  if (answer !== null && !ranked[answer]) return null;
  return { ...rest, answer: answer === null ? undefined : ranked[answer], ranked, options };
}
