import type { Lang } from '../contracts/api.ts';
import { retrieve, type RetrievalIndex } from './retrieve.ts';

/**
 * How sure the engine may be, learnt from the KB itself. Real help desks have
 * no labelled questions, but every article's own questions can play two
 * parts: asked with the article removed, they are questions the KB cannot
 * answer (same domain, the hardest case), and their top scores show how high
 * "nothing fits" can score on this KB.
 */
export interface Calibration {
  /** Sorted top scores of the KB's questions asked with their own article left out. */
  unanswerable: number[];
  samples: number;
}

const MAX_SAMPLES = 400;
/** Below this many samples the empirical curve is too coarse; blend with a fixed prior. */
const MIN_SAMPLES = 30;
const PRIOR = { mid: 0.42, spread: 0.08 };

export async function calibrate(index: RetrievalIndex, defaultLang: Lang): Promise<Calibration> {
  const probes: { articleId: string; text: string; lang: Lang }[] = [];
  for (const a of index.articles.values()) {
    if (a.status !== 'published') continue;
    const texts = a.questions.length ? a.questions : [a.title];
    for (const text of texts) probes.push({ articleId: a.id, text, lang: a.lang ?? defaultLang });
  }
  const step = Math.max(1, probes.length / MAX_SAMPLES);
  const unanswerable: number[] = [];
  for (let i = 0; i < probes.length; i += step) {
    const p = probes[Math.floor(i)]!;
    const article = index.articles.get(p.articleId)!;
    // Leave out the article and its translations: they would answer it.
    const exclude = new Set([p.articleId, ...Object.values(article.translations).filter((x): x is string => !!x)]);
    const [top] = await retrieve(index, p.text, { lang: p.lang, filter: { excludeIds: exclude, publishedOnly: true } });
    unanswerable.push(top?.score ?? 0);
  }
  unanswerable.sort((a, b) => a - b);
  return { unanswerable, samples: unanswerable.length };
}

/**
 * Confidence of a score: the share of unanswerable probes it beats, so 0.9
 * means "scores higher than 90 % of questions this KB cannot answer".
 * Blended with a logistic prior when the KB is too small to say.
 */
export function confidenceOf(score: number, calibration: Calibration): number {
  const prior = 1 / (1 + Math.exp(-(score - PRIOR.mid) / PRIOR.spread));
  const n = calibration.unanswerable.length;
  if (n === 0) return prior;
  const below = lowerBound(calibration.unanswerable, score);
  const empirical = below / n;
  const w = Math.min(1, n / MIN_SAMPLES);
  return w * empirical + (1 - w) * prior;
}

function lowerBound(sorted: number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
