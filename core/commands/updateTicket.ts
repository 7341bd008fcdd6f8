import type { TicketStatus } from '../contracts/api.ts';
import type { CoreServices } from '../services.ts';
import type { Ticket, TicketPriority, TicketType, TriageLevel } from '../tickets/types.ts';
import { priorityFrom } from '../triage/priorityMatrix.ts';
import { moveTo, type Milestones } from '../tickets/lifecycle.ts';
import { announceToSinks } from '../tickets/handToSinks.ts';
import { oweTo, prepareSinks } from '../tickets/outbox.ts';
import { recordMilestones } from '../tickets/ticketEvents.ts';
import { withSla, type TicketWithSla } from '../sla/ticketSla.ts';
import { expectVersion } from '../tickets/ticketVersion.ts';

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
  /** Triage (issue 18): what the agent sets is recorded as decided by `agent`; null clears category or team. */
  type?: TicketType;
  priority?: TicketPriority;
  /** The priority from the impact × urgency matrix instead (one of them may be given when the ticket has the other). */
  impact?: TriageLevel;
  urgency?: TriageLevel;
  category?: string | null;
  team?: string | null;
}

/**
 * An agent works a ticket: status (core/tickets/lifecycle.ts: solving is a
 * resolution, recorded; a closed ticket stays closed), assignee, tags and
 * internal notes; persisted before it resolves. Returns the ticket with its
 * SLA as of the change, as GET shows it. With `version` (the one the agent
 * saw), a ticket changed since is left as it is: TicketChangedError, carrying
 * the ticket as it is now; without, the change applies to whatever is there.
 */
export async function updateTicket(
  core: Pick<CoreServices, 'tickets' | 'events' | 'sinks' | 'index'>,
  input: { id: string; change: TicketChange; author: string; version?: string; now?: Date },
): Promise<TicketWithSla> {
  const { id, change, author, version, now = new Date() } = input;
  let milestones: Milestones = {};
  // A note alone is agent-side: nothing the other systems are told of.
  const told = !!(
    change.status ||
    change.assignee !== undefined ||
    change.tags ||
    change.solvedWith ||
    triageChanged(change)
  );
  await prepareSinks(core.sinks);
  const ticket = await core.tickets.update(
    id,
    (t) => {
      expectVersion(t, version, (current) => withSla(core, current, now));
      if (change.status) milestones = moveTo(t, change.status, now, author).milestones;
      if (change.assignee !== undefined) t.assignee = change.assignee ?? undefined;
      if (change.tags) t.tags = [...new Set(change.tags.map((s) => s.trim().toLowerCase()).filter(Boolean))];
      retriage(t, change);
      if (change.solvedWith) t.solvedWith = change.solvedWith;
      if (change.note?.trim()) t.notes.push({ at: now.toISOString(), text: change.note.trim(), author });
    },
    oweTo(core.sinks, () => (told ? { event: 'ticket.updated' } : undefined)),
  );
  await recordMilestones(core.events, ticket, milestones);
  if (told) await announceToSinks(core.sinks, 'ticket.updated', ticket);
  return withSla(core, ticket, now);
}

const TRIAGE_FIELDS = ['type', 'priority', 'category', 'team'] as const;

/** An agent's triage overrides the article's, the rules' and the defaults': each field changed is then the agent's. */
function retriage(t: Ticket, change: TicketChange): void {
  for (const field of TRIAGE_FIELDS) {
    const value = change[field];
    if (value === undefined) continue;
    if (value === null) delete t[field];
    else (t as Pick<Ticket, typeof field>)[field] = value as never;
    t.triage = { ...t.triage, [field]: 'agent' };
  }
  if (change.tags) t.triage = { ...t.triage, tags: 'agent' };
  // A priority given as such no longer follows an impact and urgency; given those, the matrix decides it.
  if (change.priority) {
    delete t.impact;
    delete t.urgency;
  }
  if (change.impact) t.impact = change.impact;
  if (change.urgency) t.urgency = change.urgency;
  if ((change.impact || change.urgency) && t.impact && t.urgency) {
    t.priority = priorityFrom(t.impact, t.urgency);
    t.triage = { ...t.triage, priority: 'agent' };
  }
}

function triageChanged(change: TicketChange): boolean {
  return TRIAGE_FIELDS.some((f) => change[f] !== undefined) || !!change.impact || !!change.urgency;
}
