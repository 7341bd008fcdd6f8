/**
 * The questions a KB is calibrated on (core/answers/pipeline/calibration.ts):
 * its listed phrasings, the titles of articles that list none, and, on
 * documentation, sentences of the passages reworded the way users ask.
 */
import type { Article } from '../../articles/types.ts';
import type { TermModel } from '../lexical/termModel.ts';
import type { RetrievalIndex } from './retrieve.ts';

/** What the probes are read from: the articles and the term model's units (not its fit: see `holdoutsBeforeFit`). */
export interface ProbeSource {
  articles: RetrievalIndex['articles'];
  terms: Pick<TermModel, 'ids' | 'units'>;
}

export interface Probe {
  /** The phrasing or passage it comes from. */
  unit: number;
  text: string;
  /** Asked with `unit` left out of the KB (a listed phrasing), or with everything in place (a reworded passage). */
  leaveOut: boolean;
  /** 1, or 1/n for each of n rewordings of one sentence. */
  weight: number;
}

/**
 * What to ask: every listed question, the title of an article listing none;
 * on documentation, reworded sentences of the articles that list none.
 */
export function probesOf(index: ProbeSource, documentation: boolean, rewordings: number, seed: number): Probe[] {
  const { terms } = index;
  return Array.from(terms.units).flatMap((u, unit): Probe[] => {
    const a = index.articles.get(terms.ids[u.article]!);
    if (!a || a.status !== 'published') return [];
    if (u.kind === 'question') return [{ unit, text: u.text, leaveOut: true, weight: 1 }];
    if (a.questions.length) return [];
    if (!documentation) return u.kind === 'title' ? [{ unit, text: u.text, leaveOut: true, weight: 1 }] : [];
    if (u.kind !== 'passage') return [];
    return sentencesOf(u.text)
      .slice(0, SENTENCES_PER_PASSAGE)
      .flatMap((sentence, k) =>
        Array.from({ length: rewordings }, (_, r) => ({
          unit,
          text: reword(sentence, unit * SENTENCES_PER_PASSAGE + k + (seed + r) * REWORDING_STRIDE),
          leaveOut: false,
          weight: 1 / rewordings,
        })),
      );
  });
}

/** Rewordings of one sentence are drawn this far apart in seed space (beyond any unit's). */
const REWORDING_STRIDE = 1_000_003;
/**
 * Rewordings of each documentation sentence asked, each counting 1/n. With
 * one, which words the draw kept moved intune dev-users between 4 and 10
 * wrong answers at the same settings; with two, the fitted intercept
 * spread 0.13 over four draws instead of 0.44 over nine, for twice the
 * probes (a KB large enough to hit TARGET_PROBES asks no more). docs/quality.md.
 */
export const REWORDINGS = 2;

/** Titles written as a question ("How do I …?", "¿Cómo …?") are phrasings users type; documentation titles are not. */
const ASKING =
  /^(¿|(how|what|why|when|where|which|who|can|could|is|are|does|do|should|cómo|como|qué|por qué|cuándo|dónde|cuál|quién|puedo|se puede)\b)/i;

/** Most articles list no question and are not titled as one: documentation, written to be read rather than asked. */
export function isDocumentation(articles: readonly Article[]): boolean {
  const published = articles.filter((a) => a.status === 'published');
  const docs = published.filter(
    (a) => !a.questions.length && !/\?\s*(\[[^\]]*\])?\s*$/.test(a.title) && !ASKING.test(a.title.trim()),
  );
  return docs.length > 0 && docs.length >= published.length / 2;
}

/** The sentences of a passage's text (after its heading) of a length users type. */
function sentencesOf(passage: string): string[] {
  const lines = passage.split('\n');
  const body = lines.length > 1 ? lines.slice(1).join('\n') : passage;
  return body
    .split(/(?<=[.!?:])\s+|\n+/)
    .map((s) => s.trim())
    .filter((s) => {
      const n = s.split(/\s+/).length;
      return n >= MIN_SENTENCE_WORDS && n <= MAX_SENTENCE_WORDS;
    });
}

const MIN_SENTENCE_WORDS = 4;
const MAX_SENTENCE_WORDS = 40;
/** Share of a sentence's content words a user keeps when asking about it (chosen on intune dev-users; docs/quality.md). */
const KEPT_WORDS = 0.4;
/** Two sentences of each passage: one reworded sentence a passage left the fit at the mercy of which words were kept. */
const SENTENCES_PER_PASSAGE = 2;

/**
 * A sentence as a user might ask about it: each content word kept with
 * probability KEPT_WORDS, else replaced by a word the KB never uses (users
 * write their own words, which dilute every match). Deterministic per unit.
 */
function reword(sentence: string, seed: number): string {
  let state = (seed * 2654435761) >>> 0 || 1;
  const random = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
  return sentence
    .split(/\s+/)
    .map((w) =>
      w.replace(/[^\p{L}\p{N}]/gu, '').length <= 3 || random() < KEPT_WORDS
        ? w
        : `zq${Math.floor(random() * 1e6).toString(36)}`,
    )
    .join(' ');
}
