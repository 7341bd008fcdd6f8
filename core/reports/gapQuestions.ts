import { ACTION } from './dayFacts.ts';
import { ESCALATED, type Outcomes, type Period } from './outcomes.ts';
import { leftNotHelpful } from './verdicts.ts';

/**
 * What the gaps report is asked of a store that counts itself (PostgreSQL,
 * ReportFigures.gapQuestions): the period and its window, and at most how
 * many distinct texts to return, most frequent first — the clustering reads
 * these, never one row per question.
 */
export interface GapQuestionsQuery {
  period: Period;
  limit: number;
}

/**
 * Distinct texts a store returns for the gaps report, most frequent first: four
 * times the phrasings clustered per language (GapOptions.maxPhrasings), so
 * texts that normalise alike can still add up before the rarest are left out.
 */
export const GAP_TEXTS = 20_000;

/**
 * The period's failed questions — nothing above the threshold, a "No" no "Yes"
 * followed, or a ticket within the window — that share one text and language,
 * counted: the counting half of the gaps report, before texts are clustered.
 */
export interface GapQuestion {
  /** The language as logged ('' when none). */
  lang: string;
  /** The text as asked. */
  text: string;
  count: number;
  unanswered: number;
  notHelpful: number;
  ticket: number;
  /** When the first and the last of them were asked (ms since the epoch). */
  first: number;
  last: number;
  /** The engine's nearest article for them: how often, and its confidences summed in thousandths. */
  near: { articleId: string; n: number; milli: number }[];
}

/** The failed questions of the in-process scan, by language and text, in the order their texts were first asked. */
export function gapQuestionsOf(o: Outcomes): GapQuestion[] {
  const byText = new Map<string, GapQuestion & { nearBy: Map<string, { n: number; milli: number }> }>();
  for (let i = 0; i < o.q.t.length; i++) {
    const flags = o.q.flags[i]!;
    const unanswered = o.q.action[i] !== ACTION.answer && o.q.shownCount[i] === 0;
    const notHelpful = leftNotHelpful(flags);
    const ticket = (flags & ESCALATED) !== 0;
    if (!unanswered && !notHelpful && !ticket) continue;
    const text = o.textOf(i);
    if (!text) continue;
    const lang = o.strings[o.q.lang[i]!] ?? '';
    const key = `${lang}\n${text}`;
    const t = o.q.t[i]!;
    let g = byText.get(key);
    if (!g) {
      g = {
        lang,
        text,
        count: 0,
        unanswered: 0,
        notHelpful: 0,
        ticket: 0,
        first: t,
        last: t,
        near: [],
        nearBy: new Map(),
      };
      byText.set(key, g);
    }
    g.count++;
    if (unanswered) g.unanswered++;
    if (notHelpful) g.notHelpful++;
    if (ticket) g.ticket++;
    g.first = Math.min(g.first, t);
    g.last = Math.max(g.last, t);
    const near = o.q.near[i]!;
    if (near >= 0) {
      const id = o.strings[near]!;
      const v = g.nearBy.get(id) ?? { n: 0, milli: 0 };
      v.n++;
      // The facts keep confidences in thousandths (dayFacts.ts); the column holds them as float32.
      v.milli += Math.round(o.q.nearConfidence[i]! * 1000);
      g.nearBy.set(id, v);
    }
  }
  return [...byText.values()].map(({ nearBy, ...g }) => ({
    ...g,
    near: [...nearBy].map(([articleId, v]) => ({ articleId, ...v })),
  }));
}
