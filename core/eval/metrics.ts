import type { Action } from '../contracts/api.ts';
import type { QueryRow } from './queries.ts';

/** What the engine did with one question: one line of `--predictions`. */
export interface Prediction {
  qid: string;
  action: Action;
  /** The article answered, or null (clarify, ticket). */
  articleId: string | null;
  /** Article ids, best first, up to 10. */
  ranked: string[];
  /** Article ids offered by clarify. */
  options: string[];
  /** Calibrated confidence of the best article (0 when nothing was found). */
  confidence: number;
  latencyMs: number;
}

export interface EvalMetrics {
  /** Labelled questions (rows with a `gold` field, null or not). */
  queries: number;
  in_scope: number;
  unanswerable: number;
  accuracy_at_1: number | null;
  recall_at_3: number | null;
  mrr_at_10: number | null;
  cdr: number | null;
  fdr: number | null;
  far: { all: number | null; id_oos: number | null; ood_oos: number | null; oos: number | null };
  clarify_rate: number | null;
  clarify_hit: number | null;
  /** In-scope questions answered with their article or offered it in a clarify: what self-service reached. */
  offered: number | null;
  latency_ms: { p50: number; p95: number };
}

/**
 * The quality figures of one evaluation run. Ranking figures (accuracy@1,
 * recall@3, MRR@10) ignore the threshold; CDR, FDR and FAR are at the
 * engine's own operating point. A ratio with an empty denominator is null.
 */
export function computeMetrics(rows: QueryRow[], predictions: ReadonlyMap<string, Prediction>): EvalMetrics {
  const labelled = rows.filter((r) => r.gold !== undefined);
  const predOf = (r: QueryRow) => {
    const p = predictions.get(r.qid);
    if (!p) throw new Error(`no prediction for question '${r.qid}'`);
    return p;
  };
  const inScope = labelled.filter((r) => r.gold);
  const unanswerable = labelled.filter((r) => !r.gold);

  let top1 = 0,
    top3 = 0,
    rr = 0,
    correct = 0,
    wrong = 0;
  for (const r of inScope) {
    const p = predOf(r);
    const rank = p.ranked.slice(0, 10).indexOf(r.gold!);
    if (rank === 0) top1++;
    if (rank >= 0 && rank < 3) top3++;
    if (rank >= 0) rr += 1 / (rank + 1);
    if (p.action === 'answer') p.articleId === r.gold ? correct++ : wrong++;
  }
  const answeredShare = (list: QueryRow[]) =>
    ratio(list.filter((r) => predOf(r).action === 'answer').length, list.length);
  const ofType = (type: QueryRow['type']) => unanswerable.filter((r) => (r.type ?? 'oos') === type);
  const clarified = labelled.filter((r) => predOf(r).action === 'clarify');
  const hits = clarified.filter((r) => !!r.gold && predOf(r).options.includes(r.gold)).length;
  const latencies = rows.map((r) => predictions.get(r.qid)?.latencyMs).filter((x): x is number => x !== undefined);

  return {
    queries: labelled.length,
    in_scope: inScope.length,
    unanswerable: unanswerable.length,
    accuracy_at_1: ratio(top1, inScope.length),
    recall_at_3: ratio(top3, inScope.length),
    mrr_at_10: ratio(rr, inScope.length),
    cdr: ratio(correct, inScope.length),
    fdr: ratio(wrong, inScope.length),
    far: {
      all: answeredShare(unanswerable),
      id_oos: answeredShare(ofType('id_oos')),
      ood_oos: answeredShare(ofType('ood_oos')),
      oos: answeredShare(ofType('oos')),
    },
    clarify_rate: ratio(clarified.length, labelled.length),
    clarify_hit: ratio(hits, clarified.length),
    offered: ratio(correct + hits, inScope.length),
    latency_ms: { p50: percentile(latencies, 0.5), p95: percentile(latencies, 0.95) },
  };
}

/** One point of the risk–coverage curve: answering whenever the best article's confidence is at least `threshold`. */
export interface CurvePoint {
  threshold: number;
  cdr: number;
  fdr: number;
  far: number | null;
}

/**
 * CDR against wrong answers as the answer threshold moves over every
 * confidence seen (clarify is ignored: each question is answered or not).
 */
export function riskCoverage(rows: QueryRow[], predictions: ReadonlyMap<string, Prediction>): CurvePoint[] {
  const labelled = rows.filter((r) => r.gold !== undefined && predictions.has(r.qid));
  const inScope = labelled.filter((r) => r.gold).length;
  const unanswerable = labelled.length - inScope;
  const events = labelled
    .map((r) => {
      const p = predictions.get(r.qid)!;
      return { conf: p.confidence, kind: !r.gold ? 'far' : p.ranked[0] === r.gold ? 'cdr' : 'fdr' } as const;
    })
    .sort((a, b) => b.conf - a.conf);
  const points: CurvePoint[] = [];
  const n = { cdr: 0, fdr: 0, far: 0 };
  events.forEach((e, i) => {
    n[e.kind]++;
    if (i + 1 < events.length && events[i + 1]!.conf === e.conf) return;
    points.push({
      threshold: e.conf,
      cdr: ratio(n.cdr, inScope) ?? 0,
      fdr: ratio(n.fdr, inScope) ?? 0,
      far: ratio(n.far, unanswerable),
    });
  });
  return points;
}

function ratio(n: number, d: number): number | null {
  return d === 0 ? null : n / d;
}

/** Nearest-rank percentile; 0 for no values. */
export function percentile(values: number[], p: number): number {
  if (!values.length) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}
