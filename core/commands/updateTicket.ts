import type { TicketStatus } from '../contracts/api.ts';
import type { CoreServices } from '../services.ts';
import type { Ticket } from '../tickets/types.ts';

export interface TicketChange {
  status?: TicketStatus;
  /** A name, or null to unassign. */
  assignee?: string | null;
  /** The full new list of tags. */
  tags?: string[];
  /** An internal note, never shown to the user. */
  note?: string;
  /** The article that solved it (validated by core/commands/solveWithArticle.ts). */
  solvedWith?: string;
}

/** An agent works a ticket: status, assignee, tags and internal notes; persisted before it resolves. */
export function updateTicket(
  core: Pick<CoreServices, 'tickets'>,
  id: string,
  change: TicketChange,
  author: string,
): Promise<Ticket> {
  return core.tickets.update(id, (t) => {
    if (change.status) t.status = change.status;
    if (change.assignee !== undefined) t.assignee = change.assignee ?? undefined;
    if (change.tags) t.tags = [...new Set(change.tags.map((s) => s.trim().toLowerCase()).filter(Boolean))];
    if (change.solvedWith) t.solvedWith = change.solvedWith;
    if (change.note?.trim()) t.notes.push({ at: new Date().toISOString(), text: change.note.trim(), author });
  });
}
