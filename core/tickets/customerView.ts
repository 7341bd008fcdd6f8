import type { Lang, MyTicketResponse } from '../contracts/api.ts';
import { NotFoundError } from '../errors.ts';
import type { TicketRepository } from '../storage/ports.ts';
import { followUpTokenMatches } from './followUpToken.ts';
import { publicMessages } from './lifecycle.ts';
import { statusLabel } from './statusLabels.ts';
import type { Ticket } from './types.ts';
import type { SlaStatus } from '../sla/computeSla.ts';

/**
 * The ticket as its customer sees it, wherever they see it (the JSON route,
 * the follow-up page): public messages only, the status in their words. The
 * one place that decides what leaves the agent side.
 */
export function customerView(t: Ticket, lang: Lang = t.lang, sla?: SlaStatus): MyTicketResponse {
  // While an agent's first reply is awaited and counting (not paused, not late), the customer is told when to expect it.
  const expectedReplyAt = sla?.clocks.firstResponse?.state === 'running' ? sla.clocks.firstResponse.dueAt : undefined;
  return {
    id: t.id,
    status: t.status,
    statusLabel: statusLabel(t.status, lang),
    lang: t.lang,
    subject: t.subject,
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
    messages: publicMessages(t).map((m) => ({
      id: m.id,
      from: m.from,
      text: m.text,
      at: m.at,
      ...(m.author && m.from === 'agent' ? { author: m.author } : {}),
    })),
    ...(t.rating ? { rating: { ...t.rating } } : {}),
    ...(t.followUpOf ? { followUpOf: t.followUpOf } : {}),
    ...(expectedReplyAt ? { expectedReplyAt } : {}),
  };
}

/**
 * The ticket whose follow-up token this is. A missing ticket, a missing token
 * and a wrong one are the same NotFoundError, so nobody learns which ids exist.
 */
export async function ticketForToken(
  tickets: TicketRepository,
  id: string,
  token: string | undefined,
): Promise<Ticket> {
  return ticketForCustomer(tickets, id, { token });
}

/** How a customer shows a ticket is theirs: its follow-up token, or the verified user (widget HMAC, Teams) it belongs to. */
export interface CustomerKey {
  token?: string;
  verifiedUserId?: string;
}

/**
 * The ticket, when the key opens it: the follow-up token matches, or the
 * ticket belongs to this verified user (a verified widget user reads the
 * tickets they list without keeping tokens). Anything else is the same
 * NotFoundError as a missing ticket.
 */
export async function ticketForCustomer(tickets: TicketRepository, id: string, key: CustomerKey): Promise<Ticket> {
  let t: Ticket | undefined;
  try {
    t = await tickets.get(id);
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
  }
  const owner = !!t?.verifiedUserId && !!key.verifiedUserId && t.verifiedUserId === key.verifiedUserId;
  if (!t || (!owner && !followUpTokenMatches(t.followUpHash, key.token))) throw new NotFoundError('ticket', id);
  return t;
}
