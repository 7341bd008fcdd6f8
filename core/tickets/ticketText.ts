import { fold } from '../text/analyze.ts';
import type { Ticket } from './types.ts';

/**
 * The agents' text filter (TicketQuery.text): which of a ticket's own words it
 * looks in. One list, read by both ticket stores (the embedded one matches in
 * code, PostgreSQL builds its SQL from the same names), so the two agree.
 * The thread is left out: the queue finds a ticket by what it is about and
 * who sent it, and a search through every reply would match half the queue.
 */
export const TICKET_TEXT_FIELDS = ['id', 'subject', 'description', 'failedQuestion', 'email', 'name'] as const;

/**
 * The query as both stores compare it: folded (lower case, no accents:
 * "contrasena" finds "Contraseña") and with runs of white space made one,
 * matched as a substring of each field folded the same way.
 */
export function ticketTextQuery(text: string): string {
  return fold(text).replace(/\s+/g, ' ').trim();
}

/** Whether one of the ticket's text fields holds the folded query (the embedded store's side of the rule). */
export function ticketHasText(t: Ticket, folded: string): boolean {
  return TICKET_TEXT_FIELDS.some((field) => {
    const value = t[field];
    return typeof value === 'string' && fold(value).includes(folded);
  });
}
