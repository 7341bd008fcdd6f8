import type { TicketStatus } from '../contracts/api.ts';
import type { CoreServices } from '../services.ts';
import { addAgentMessage, type Milestones } from '../tickets/lifecycle.ts';
import { announceToSinks } from '../tickets/handToSinks.ts';
import { oweTo, prepareSinks } from '../tickets/outbox.ts';
import { recordMilestones } from '../tickets/ticketEvents.ts';
import type { TicketMessage } from '../tickets/types.ts';
import { withSla, type TicketWithSla } from '../sla/ticketSla.ts';

export interface ReplyToTicketInput {
  id: string;
  text: string;
  /** An agents-only note: moves no status, never reaches the customer. */
  internal?: boolean;
  /** The status after a public reply; pending (waiting for the customer) when unset. */
  status?: TicketStatus;
  author: string;
  now?: Date;
}

/**
 * An agent answers the customer, or leaves an internal note; the first public
 * reply is recorded as the first response. The ticket comes back with its SLA.
 */
export async function replyToTicket(
  core: Pick<CoreServices, 'tickets' | 'events' | 'sinks' | 'index'>,
  input: ReplyToTicketInput,
): Promise<{ ticket: TicketWithSla; message: TicketMessage }> {
  const now = input.now ?? new Date();
  let milestones: Milestones = {};
  let message: TicketMessage | undefined;
  await prepareSinks(core.sinks);
  const ticket = await core.tickets.update(
    input.id,
    (t) => {
      const step = addAgentMessage(t, input, now);
      milestones = step.milestones;
      message = step.message;
    },
    // An internal note owes nothing.
    oweTo(core.sinks, (t) =>
      message!.internal ? undefined : { event: 'ticket.message', detail: { message: message! } },
    ),
  );
  await recordMilestones(core.events, ticket, milestones);
  const stored = ticket.messages.find((m) => m.id === message!.id)!;
  if (!stored.internal) await announceToSinks(core.sinks, 'ticket.message', ticket, { message: stored });
  return { ticket: withSla(core, ticket, now), message: stored };
}
