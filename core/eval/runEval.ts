import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Lang } from '../contracts/api.ts';
import { AnswerEngine } from '../answers/pipeline/answerEngine.ts';
import type { Thresholds } from '../answers/pipeline/decide.ts';
import { buildIndex } from '../indexing/buildIndex.ts';
import { openSnapshot } from '../indexing/kbIndex.ts';
import type { Embedder, WordVectors } from '../search/ports.ts';
import { computeMetrics, riskCoverage, type CurvePoint, type EvalMetrics, type Prediction } from './metrics.ts';
import type { QueryRow } from './queries.ts';

export interface EvalOptions {
  kbDir: string;
  queries: QueryRow[];
  embedder: Embedder;
  /** Pre-trained word vectors, as the server is configured (null: lexical only). */
  wordVectors?: WordVectors | null;
  /** The site's language; defaults to the language most of the KB is written in. */
  defaultLang?: Lang;
  /** Operating thresholds; omit for the engine's defaults (what a fresh install runs). */
  thresholds?: Thresholds;
}

export interface EvalReport {
  metrics: EvalMetrics;
  predictions: Prediction[];
  curve: CurvePoint[];
  settings: Record<string, unknown>;
}

/**
 * Index a KB into a throw-away data directory, ask every question through
 * the same AnswerEngine the API uses, and score the answers. Gold labels are
 * read only after every question has been answered.
 */
export async function runEval(options: EvalOptions): Promise<EvalReport> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'deflect-eval-'));
  try {
    const built = await buildIndex({
      kbDir: options.kbDir,
      dataDir,
      embedder: options.embedder,
      wordVectors: options.wordVectors,
      defaultLang: options.defaultLang ?? 'en',
    });
    const defaultLang = options.defaultLang ?? majorityLang([...built.index.articles.values()].map((a) => a.lang));
    // Read the snapshot back, as the server does after a restart.
    const index = await openSnapshot(built.snapshotDir!, options.embedder, options.wordVectors ?? null);
    const engine = new AnswerEngine(() => index, { defaultLang, thresholds: options.thresholds });

    const predictions: Prediction[] = [];
    for (const q of options.queries) {
      const started = performance.now();
      const result = await engine.answer({ question: q.text.trim() });
      const latencyMs = performance.now() - started;
      predictions.push({
        qid: q.qid,
        action: result.action,
        articleId: result.answer?.article.id ?? null,
        ranked: result.ranked.slice(0, 10).map((r) => r.article.id),
        options: result.options.map((r) => r.article.id),
        confidence: result.ranked[0]?.confidence ?? 0,
        latencyMs,
      });
    }

    const byQid = new Map(predictions.map((p) => [p.qid, p]));
    return {
      metrics: computeMetrics(options.queries, byQid),
      predictions,
      curve: riskCoverage(options.queries, byQid),
      settings: {
        embedder: options.embedder.id,
        word_vectors: options.wordVectors?.id ?? null,
        default_lang: defaultLang,
        thresholds: engine.thresholds,
        articles: built.articles,
        vectors: built.vectors,
        index_ms: built.ms,
        calibration: index.manifest.calibration,
      },
    };
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

function majorityLang(langs: Lang[]): Lang {
  const es = langs.filter((l) => l === 'es').length;
  return es > langs.length / 2 ? 'es' : 'en';
}
