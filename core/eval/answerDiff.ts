import type { Action } from '../contracts/api.ts';
import type { AnswerEngine } from '../answers/pipeline/answerEngine.ts';
import type { Article } from '../articles/types.ts';

/** What one version of the KB does with a question. */
export interface Outcome {
  action: Action;
  articleId: string | null;
  confidence: number;
}

export interface AnswerChange {
  question: string;
  /** Where the question came from: an article's own phrasing, or the file of past questions. */
  source: string;
  before: Outcome;
  after: Outcome;
}

export interface AnswerDiff {
  questions: number;
  /** Answered by both versions, with different articles. */
  changed: AnswerChange[];
  /** Answered now, not before. */
  newlyAnswered: AnswerChange[];
  /** Answered before, not now. */
  newlyUnanswered: AnswerChange[];
}

/** The questions to replay: every article's own phrasings (titles of articles that list none) in either version, then past questions. */
export function replayQuestions(
  before: Iterable<Article>,
  after: Iterable<Article>,
  past: string[] = [],
): { question: string; source: string }[] {
  const out = new Map<string, string>();
  for (const a of [...before, ...after]) {
    for (const q of a.questions.length ? a.questions : [a.title]) if (!out.has(q.trim())) out.set(q.trim(), a.id);
  }
  for (const q of past) if (q.trim() && !out.has(q.trim())) out.set(q.trim(), 'past question');
  return [...out].map(([question, source]) => ({ question, source }));
}

/** Past questions exported from the conversation store: JSON lines with `text` or `question`, or plain lines. */
export function pastQuestions(text: string): string[] {
  return text.split('\n').flatMap((line) => {
    const s = line.trim();
    if (!s) return [];
    if (!s.startsWith('{')) return [s];
    try {
      const row = JSON.parse(s) as { text?: unknown; question?: unknown };
      const q = typeof row.text === 'string' ? row.text : typeof row.question === 'string' ? row.question : '';
      return q.trim() ? [q] : [];
    } catch {
      return [s];
    }
  });
}

/**
 * Ask every question of both versions of the KB and list the questions whose
 * answer changed: what an agent reviews before merging an article change.
 */
export async function diffAnswers(
  before: AnswerEngine,
  after: AnswerEngine,
  questions: { question: string; source: string }[],
): Promise<AnswerDiff> {
  const diff: AnswerDiff = { questions: questions.length, changed: [], newlyAnswered: [], newlyUnanswered: [] };
  for (const { question, source } of questions) {
    const change = {
      question,
      source,
      before: outcomeOf(await before.answer({ question })),
      after: outcomeOf(await after.answer({ question })),
    };
    const was = change.before.action === 'answer';
    const is = change.after.action === 'answer';
    if (was && is && change.before.articleId !== change.after.articleId) diff.changed.push(change);
    else if (!was && is) diff.newlyAnswered.push(change);
    else if (was && !is) diff.newlyUnanswered.push(change);
  }
  return diff;
}

function outcomeOf(r: Awaited<ReturnType<AnswerEngine['answer']>>): Outcome {
  return { action: r.action, articleId: r.answer?.article.id ?? null, confidence: r.ranked[0]?.confidence ?? 0 };
}
