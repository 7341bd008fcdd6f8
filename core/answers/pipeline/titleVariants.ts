import type { Article } from '../../articles/types.ts';
import { terms } from '../../text/analyze.ts';

/**
 * Words common to this share of the KB's titles ("dispositivo", "portal",
 * "Microsoft Docs") say what the KB is about, not which version of a how-to
 * an article is; rarer title words ("iOS", "Android", "sitio web") do.
 * Chosen on intune dev-users (docs/quality.md).
 */
const MAX_TITLE_SHARE = 0.25;
/** Shorter title words are too often the start of unrelated ones. */
const MIN_PREFIX = 3;

interface TitleWords {
  byId: Map<string, Set<string>>;
  df: Map<string, number>;
}

const cache = new WeakMap<ReadonlyMap<string, Article>, TitleWords>();

function titleWords(articles: ReadonlyMap<string, Article>): TitleWords {
  let t = cache.get(articles);
  if (t) return t;
  const byId = new Map<string, Set<string>>();
  const df = new Map<string, number>();
  for (const a of articles.values()) {
    const words = new Set(terms(a.title, a.lang));
    byId.set(a.id, words);
    for (const w of words) df.set(w, (df.get(w) ?? 0) + 1);
  }
  t = { byId, df };
  cache.set(articles, t);
  return t;
}

/**
 * Two versions of one how-to (per platform, per product) are told apart by
 * their titles: "… un dispositivo Android …" beside "… un dispositivo iOS
 * o iPadOS …". A question that names none of the words only the best one's
 * title has ("iPhone + Entrust: …" against the Android version) has not
 * chosen that version, however much more of its body it happens to cover:
 * false then, so the engine asks. True when the question names one, or when
 * the titles do not differ by such words (nothing to read).
 */
export function namesBestVersion(
  articles: ReadonlyMap<string, Article>,
  question: string,
  best: string,
  rival: string,
): boolean {
  const { byId, df } = titleWords(articles);
  const b = byId.get(best);
  const r = byId.get(rival);
  if (!b || !r) return true;
  const limit = MAX_TITLE_SHARE * byId.size;
  const only = (x: Set<string>, y: Set<string>) => [...x].filter((w) => !y.has(w) && df.get(w)! <= limit);
  const ownWords = only(b, r);
  if (!ownWords.length || !only(r, b).length) return true;
  const asked = terms(question, articles.get(best)!.lang);
  // A word the title's word begins ("MacBook" for "macOS", stemmed "mac") names it too.
  return ownWords.some((w) => asked.some((a) => a === w || (w.length >= MIN_PREFIX && a.startsWith(w))));
}
