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
 * What a question says about two versions of one how-to (per platform, per
 * product), told apart by their titles: "… un dispositivo Android …" beside
 * "… un dispositivo iOS o iPadOS …".
 * - `chosen`: it names a word only the best one's title has, in no form of
 *   the rival's ("Android" against "iOS"; not "anular" against "Anulación"),
 *   and none only the rival's has: it has chosen that version, however much
 *   of the rival's body it happens to cover too.
 * - `unnamed`: it names none of the words only the best one's title has
 *   ("iPhone + Entrust: …" against the Android version): it has not chosen
 *   that version, however much more of its body it covers, so the engine asks.
 * - `unread`: the titles do not differ by such words on both sides (nothing
 *   to read), or the question names words of both, or the best one's only in
 *   a form the rival's title has too: the coverage decides (decide.ts).
 */
export type VersionNamed = 'chosen' | 'unnamed' | 'unread';

/** Which version of a how-to `question` names, between the best article and its near-duplicate `rival`. */
export function versionNamed(
  articles: ReadonlyMap<string, Article>,
  question: string,
  best: string,
  rival: string,
): VersionNamed {
  const { byId, df } = titleWords(articles);
  const b = byId.get(best);
  const r = byId.get(rival);
  if (!b || !r) return 'unread';
  const limit = MAX_TITLE_SHARE * byId.size;
  const only = (x: Set<string>, y: Set<string>) => [...x].filter((w) => !y.has(w) && df.get(w)! <= limit);
  const ownWords = only(b, r);
  const rivalWords = only(r, b);
  if (!ownWords.length || !rivalWords.length) return 'unread';
  const asked = terms(question, articles.get(best)!.lang);
  // A word the title's word begins ("MacBook" for "macOS", stemmed "mac") names it too.
  const names = (w: string) => asked.some((a) => a === w || (w.length >= MIN_PREFIX && a.startsWith(w)));
  if (!ownWords.some(names)) return 'unnamed';
  const chosen = ownWords.some((w) => names(w) && !inAnotherForm(w, r));
  return chosen && !rivalWords.some(names) ? 'chosen' : 'unread';
}

/**
 * Spanish stems a verb and its noun apart ("anul" for "anula", "anulacion"
 * for "Anulación"): naming the verb names both titles, not one version.
 */
function inAnotherForm(word: string, title: Set<string>): boolean {
  return [...title].some(
    (v) => Math.min(v.length, word.length) >= SAME_WORD_PREFIX && (v.startsWith(word) || word.startsWith(v)),
  );
}
/** Stems sharing this many first letters, one the start of the other, are one word written in two forms. */
const SAME_WORD_PREFIX = 4;
