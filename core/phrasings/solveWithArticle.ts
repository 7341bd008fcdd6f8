import { ValidationError } from '../errors.ts';
import { fold } from '../text/analyze.ts';
import type { CoreServices } from '../services.ts';
import { updateTicket, type TicketChange } from '../commands/updateTicket.ts';
import type { Ticket } from '../tickets/types.ts';

/**
 * An agent solves a ticket and names the article that solved it. The ticket
 * records the article, and a `solved` event records the ticket's failed
 * question(s), which the phrasings report offers as candidate phrasings of
 * that article (a person reviews them before any article changes).
 */
export async function solveWithArticle(
  core: Pick<CoreServices, 'tickets' | 'events' | 'index'>,
  id: string,
  change: TicketChange & { solvedWith: string },
  author: string,
): Promise<Ticket> {
  if (change.status !== 'solved')
    throw new ValidationError('solvedWith: give it with "status": "solved"', [
      { field: 'solvedWith', message: 'only with status solved' },
    ]);
  const articles = core.index.get().articles;
  if (!articles.has(change.solvedWith))
    throw new ValidationError(`solvedWith: no article '${change.solvedWith}' in the knowledge base`, [
      { field: 'solvedWith', message: 'unknown article id' },
    ]);
  await core.tickets.get(id); // a missing ticket is a 404 before anything is written
  const ticket = await updateTicket(core, id, change, author);
  const titles = new Set([...articles.values()].map((a) => fold(a.title).trim()));
  await core.events.append({
    type: 'solved',
    conversationId: ticket.conversationId ?? `ticket:${ticket.id}`,
    channel: ticket.channel,
    lang: ticket.lang,
    user: { id: ticket.userId, email: ticket.email || undefined, name: ticket.name },
    ticketId: ticket.id,
    articleId: change.solvedWith,
    questions: failedQuestions(ticket, titles),
  });
  return ticket;
}

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
