import type { Lang, MyTicketResponse } from '../contracts/api.ts';
import type { CoreServices } from '../services.ts';
import { customerView, ticketForToken } from '../tickets/customerView.ts';
import { withSla } from '../sla/ticketSla.ts';

/** A customer follows their ticket with its token: its status in their words and the public thread. */
export async function showMyTicket(
  core: Pick<CoreServices, 'tickets' | 'index'>,
  input: { id: string; token?: string; lang?: Lang },
): Promise<MyTicketResponse> {
  const t = await ticketForToken(core.tickets, input.id, input.token);
  return customerView(t, input.lang, withSla(core, t).slaStatus);
}
