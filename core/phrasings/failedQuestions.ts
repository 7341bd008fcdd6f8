import { fold } from '../text/analyze.ts';
import type { Ticket } from '../tickets/types.ts';

/** Picks and "did it help" marks are user turns too; they are not questions. */
const FEEDBACK = new Set(['👍', '👎']);
const MAX_QUESTIONS = 3;

/**
 * The questions that led to the ticket: the user's questions in its
 * transcript after the last one an article settled (a 👍), leaving out picks
 * from a list (their text is an article's title) and feedback marks; the
 * ticket's failed question when the transcript has none.
 */
export function failedQuestions(
  ticket: Pick<Ticket, 'transcript' | 'failedQuestion'>,
  titles: ReadonlySet<string>,
): string[] {
  const turns = ticket.transcript.filter((t) => t.role === 'user');
  const lastSettled = turns.map((t) => t.text.trim()).lastIndexOf('👍');
  const asked = turns
    .slice(lastSettled + 1)
    .map((t) => t.text.trim())
    .filter((text) => text && !FEEDBACK.has(text) && !titles.has(fold(text)));
  if (!asked.length && ticket.failedQuestion && !titles.has(fold(ticket.failedQuestion.trim())))
    asked.push(ticket.failedQuestion.trim());
  return [...new Set(asked)].slice(-MAX_QUESTIONS);
}
