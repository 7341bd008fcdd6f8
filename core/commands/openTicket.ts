import { randomUUID } from 'node:crypto';
import type { Channel, Lang, TicketStatus } from '../contracts/api.ts';
import type { CoreServices } from '../services.ts';
import type { Ticket } from '../tickets/types.ts';
import { assertOwner } from '../conversations/assertOwner.ts';
import { newFollowUpToken } from '../tickets/followUpToken.ts';
import { handToSinks } from '../tickets/handToSinks.ts';
import { triageNewTicket } from '../triage/triageNewTicket.ts';

export interface OpenTicketInput {
  conversationId?: string;
  channel: Channel;
  email: string;
  name?: string;
  userId?: string;
  subject?: string;
  description?: string;
  lang?: Lang;
  /** Who asks for the ticket; must own the conversation when it belongs to a verified user. */
  asker?: { id?: string; verified?: boolean; attributes?: Record<string, string> };
}

/**
 * Hand a conversation over to a person: the ticket carries the transcript,
 * the articles shown with their scores and the user's feedback, so the agent
 * starts where the bot stopped. Stored first (acknowledged once on disk),
 * then passed to the configured sinks, whose failures never lose the ticket.
 * The customer gets a follow-up token, shown once: the ticket keeps its hash.
 */
export async function openTicket(
  core: CoreServices,
  input: OpenTicketInput,
): Promise<{ id: string; status: TicketStatus; followUpToken: string; ticket: Ticket }> {
  const c = input.conversationId ? await core.conversations.get(input.conversationId) : undefined;
  if (c) assertOwner(c, input.asker);
  const lang = input.lang ?? c?.lang ?? core.defaultLang;
  const helpfulNo = c?.shown.some((s) => s.helpful === false);
  const reason: Ticket['reason'] = c?.lastUnanswered ? 'no_answer' : helpfulNo ? 'not_helpful' : 'user';
  const subject = (
    input.subject?.trim() ||
    c?.lastQuestion ||
    input.description?.trim() ||
    (lang === 'es' ? 'Solicitud de ayuda' : 'Help request')
  ).slice(0, 200);

  const followUp = newFollowUpToken();
  const description = input.description?.trim() || undefined;
  const now = new Date().toISOString();
  const channel = c?.channel ?? input.channel;
  // Signed attributes only (core/identity/verifyUser.ts drops the others).
  const attributes = input.asker?.verified ? input.asker.attributes : undefined;
  const triage = triageNewTicket(core, { conversation: c, draft: { channel, lang, subject, description }, attributes });
  const ticket = await core.tickets.create({
    ...triage.fields,
    ...(attributes ? { attributes } : {}),
    channel,
    lang,
    email: input.email.trim(),
    name: input.name?.trim() || c?.user?.name,
    userId: input.userId ?? c?.user?.id,
    subject,
    description,
    reason,
    conversationId: c?.id ?? input.conversationId,
    transcript: c ? [...c.turns] : [],
    shown: c ? c.shown.map((s) => ({ ...s })) : [],
    failedQuestion: c?.lastQuestion,
    ...(input.asker?.verified && input.asker.id ? { verifiedUserId: input.asker.id } : {}),
    followUpHash: followUp.hash,
    // What the customer wrote opens the thread they follow.
    messages: description ? [{ id: randomUUID(), from: 'customer', text: description, internal: false, at: now }] : [],
  });
  if (c) {
    await core.events.append({
      type: 'ticket',
      conversationId: c.id,
      channel: c.channel,
      lang,
      user: { ...c.user, email: ticket.email, name: ticket.name },
      ticketId: ticket.id,
      reason,
    });
  } else {
    await core.events.append({
      type: 'ticket',
      conversationId: input.conversationId ?? `ticket:${ticket.id}`,
      channel: input.channel,
      lang,
      user: { id: input.userId, email: ticket.email, name: ticket.name },
      ticketId: ticket.id,
      reason,
    });
  }
  await handToSinks(core.sinks, ticket);
  return { id: ticket.id, status: ticket.status, followUpToken: followUp.token, ticket };
}
