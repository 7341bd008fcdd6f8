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
  return foldedFields(t).some((value) => value.includes(folded));
}

/**
 * The ticket's text fields folded, remembered per ticket object while the
 * fields stay the same: folding (NFKD) is most of a text filter's cost, and
 * the inbox asks once per status for its counts. The raw values are the key,
 * so a changed field (an erasure blanks the e-mail) is folded again, never served stale.
 */
const folds = new WeakMap<Ticket, { raw: string[]; folded: string[] }>();

function foldedFields(t: Ticket): string[] {
  const known = folds.get(t);
  if (known && TICKET_TEXT_FIELDS.every((field, i) => (t[field] ?? '') === known.raw[i])) return known.folded;
  const raw = TICKET_TEXT_FIELDS.map((field) => (typeof t[field] === 'string' ? (t[field] as string) : ''));
  const folded = raw.map(fold);
  folds.set(t, { raw, folded });
  return folded;
}
