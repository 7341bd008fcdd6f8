import type { TicketStatus } from '../contracts/api.ts';
import type { CoreServices } from '../services.ts';
import type { Ticket } from '../tickets/types.ts';
import { moveTo, type Milestones } from '../tickets/lifecycle.ts';
import { announceToSinks } from '../tickets/handToSinks.ts';
import { recordMilestones } from '../tickets/ticketEvents.ts';

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

/**
 * An agent works a ticket: status (core/tickets/lifecycle.ts: solving is a
 * resolution, recorded; a closed ticket stays closed), assignee, tags and
 * internal notes; persisted before it resolves.
 */
export async function updateTicket(
  core: Pick<CoreServices, 'tickets' | 'events' | 'sinks'>,
  input: { id: string; change: TicketChange; author: string; now?: Date },
): Promise<Ticket> {
  const { id, change, author, now = new Date() } = input;
  let milestones: Milestones = {};
  const ticket = await core.tickets.update(id, (t) => {
    if (change.status) milestones = moveTo(t, change.status, now, author).milestones;
    if (change.assignee !== undefined) t.assignee = change.assignee ?? undefined;
    if (change.tags) t.tags = [...new Set(change.tags.map((s) => s.trim().toLowerCase()).filter(Boolean))];
    if (change.solvedWith) t.solvedWith = change.solvedWith;
    if (change.note?.trim()) t.notes.push({ at: now.toISOString(), text: change.note.trim(), author });
  });
  await recordMilestones(core.events, ticket, milestones);
  // A note alone is agent-side: nothing the other systems are told of.
  if (change.status || change.assignee !== undefined || change.tags || change.solvedWith)
    await announceToSinks(core.sinks, 'ticket.updated', ticket);
  return ticket;
}
