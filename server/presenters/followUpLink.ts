import type { FollowUpLink } from '../../core/contracts/api.ts';
import { followUpPath } from '../../core/tickets/followUpToken.ts';

/** The token and the page where the customer follows the ticket, under PUBLIC_URL. */
export function followUpLink(publicUrl: string, ticketId: string, token: string): FollowUpLink {
  return { token, url: `${publicUrl}${followUpPath(ticketId, token)}` };
}
