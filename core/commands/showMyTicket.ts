import type { Lang, MyTicketResponse } from '../contracts/api.ts';
import type { CoreServices } from '../services.ts';
import { customerView, ticketForCustomer } from '../tickets/customerView.ts';
import { withSla } from '../sla/ticketSla.ts';

/** A customer follows their ticket with its token: its status in their words and the public thread. */
export async function showMyTicket(
  core: Pick<CoreServices, 'tickets' | 'index'>,
  input: { id: string; token?: string; verifiedUserId?: string; lang?: Lang },
): Promise<MyTicketResponse> {
  const t = await ticketForCustomer(core.tickets, input.id, input);
  return customerView(t, input.lang, withSla(core, t).slaStatus);
}
