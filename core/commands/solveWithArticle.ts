import { ValidationError } from '../errors.ts';
import { failedQuestions } from '../phrasings/failedQuestions.ts';
import { fold } from '../text/analyze.ts';
import type { CoreServices } from '../services.ts';
import type { TicketWithSla } from '../sla/ticketSla.ts';
import { updateTicket, type TicketChange } from './updateTicket.ts';

/**
 * An agent solves a ticket and names the article that solved it. The ticket
 * records the article, and a `solved` event records the ticket's failed
 * question(s), which the phrasings report offers as candidate phrasings of
 * that article (a person reviews them before any article changes).
 */
export async function solveWithArticle(
  core: Pick<CoreServices, 'tickets' | 'events' | 'index' | 'sinks'>,
  input: { id: string; change: TicketChange & { solvedWith: string }; author: string; version?: string },
): Promise<TicketWithSla> {
  const { id, change, author, version } = input;
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
  const ticket = await updateTicket(core, { id, change, author, version });
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
