import type { CoreServices } from '../services.ts';
import type { Ticket } from '../tickets/types.ts';

/** One ticket with its context (transcript, articles shown, feedback, notes), for the agent who opens it. */
export async function showTicket(core: Pick<CoreServices, 'tickets'>, input: { id: string }): Promise<Ticket> {
  return core.tickets.get(input.id);
}
