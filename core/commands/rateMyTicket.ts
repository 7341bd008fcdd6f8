import type { MyTicketResponse, TicketScore } from '../contracts/api.ts';
import type { CoreServices } from '../services.ts';
import { customerView, ticketForCustomer } from '../tickets/customerView.ts';
import { announceToSinks } from '../tickets/handToSinks.ts';
import { oweTo, prepareSinks } from '../tickets/outbox.ts';
import { rate } from '../tickets/lifecycle.ts';

/**
 * The customer rates a solved ticket (good or bad, with a comment); they may
 * change it until the ticket closes. `changed`: a rating was there already.
 */
export async function rateMyTicket(
  core: Pick<CoreServices, 'tickets' | 'sinks'>,
  input: { id: string; token?: string; verifiedUserId?: string; score: TicketScore; comment?: string; now?: Date },
): Promise<{ changed: boolean; ticket: MyTicketResponse }> {
  await ticketForCustomer(core.tickets, input.id, input);
  let changed = false;
  await prepareSinks(core.sinks);
  const t = await core.tickets.update(
    input.id,
    (t) => {
      changed = rate(t, { score: input.score, comment: input.comment }, input.now ?? new Date()).changed;
    },
    oweTo(core.sinks, (t) => ({ event: 'csat.responded', detail: { rating: t.rating, changed } })),
  );
  await announceToSinks(core.sinks, 'csat.responded', t, { rating: t.rating, changed });
  return { changed, ticket: customerView(t) };
}
