import type { CoreServices } from '../services.ts';
import { withSla, type TicketWithSla } from '../sla/ticketSla.ts';

/** One ticket with its context (transcript, articles shown, feedback, notes) and its SLA now, for the agent who opens it. */
export async function showTicket(
  core: Pick<CoreServices, 'tickets' | 'index'>,
  input: { id: string },
): Promise<TicketWithSla> {
  return withSla(core, await core.tickets.get(input.id));
}
