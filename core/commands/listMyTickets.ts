import type { Lang, MyTicketsResponse } from '../contracts/api.ts';
import type { CoreServices } from '../services.ts';
import { customerView } from '../tickets/customerView.ts';

const MAX = 100;

/** A verified user's own tickets, newest first, without tokens (the widget's and the bot's "my requests"). */
export async function listMyTickets(
  core: Pick<CoreServices, 'tickets'>,
  input: { verifiedUserId: string; lang?: Lang },
): Promise<MyTicketsResponse> {
  const page = await core.tickets.list({ verifiedUserId: input.verifiedUserId, pageSize: MAX });
  return {
    tickets: page.tickets.map((t) => {
      const { messages: _messages, ...summary } = customerView(t, input.lang);
      return summary;
    }),
  };
}
