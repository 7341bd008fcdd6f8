import type { Channel, CreateTicketResponse, Lang } from '../contracts/api.ts';
import { log } from '../logger.ts';
import type { CoreServices } from '../services.ts';
import type { Ticket } from '../tickets/types.ts';
import { assertOwner } from '../conversations/assertOwner.ts';

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
  asker?: { id?: string; verified?: boolean };
}

/**
 * Hand a conversation over to a person: the ticket carries the transcript,
 * the articles shown with their scores and the user's feedback, so the agent
 * starts where the bot stopped. Stored first (acknowledged once on disk),
 * then passed to the configured sinks, whose failures never lose the ticket.
 */
export async function openTicket(
  core: CoreServices,
  input: OpenTicketInput,
): Promise<CreateTicketResponse & { ticket: Ticket }> {
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

  const ticket = await core.tickets.create({
    channel: c?.channel ?? input.channel,
    lang,
    email: input.email.trim(),
    name: input.name?.trim() || c?.user?.name,
    userId: input.userId ?? c?.user?.id,
    subject,
    description: input.description?.trim() || undefined,
    reason,
    conversationId: c?.id ?? input.conversationId,
    transcript: c ? [...c.turns] : [],
    shown: c ? c.shown.map((s) => ({ ...s })) : [],
    failedQuestion: c?.lastQuestion,
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
  // Awaited: a sink hands the ticket over durably (the webhook enqueues it) before the user is told it is open.
  await Promise.all(
    core.sinks.map((sink) =>
      sink
        .deliver(ticket)
        .catch((error: Error) => log.error('tickets', 'sink failed', { sink: sink.name, ticketId: ticket.id, error })),
    ),
  );
  return { id: ticket.id, status: ticket.status, ticket };
}
