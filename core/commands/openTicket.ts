import { randomUUID } from 'node:crypto';
import type { Channel, Lang, TicketStatus } from '../contracts/api.ts';
import type { CoreServices } from '../services.ts';
import type { Ticket, TicketAttachment } from '../tickets/types.ts';
import { assertOwner } from '../conversations/assertOwner.ts';
import { hashFollowUpToken, newFollowUpToken } from '../tickets/followUpToken.ts';
import { followUpTokenOf, newIdempotencyClaim, type IdempotencyClaim } from '../tickets/idempotency.ts';
import type { TicketDraft } from '../storage/ports.ts';
import type { Conversation } from '../conversations/types.ts';
import { handToSinks } from '../tickets/handToSinks.ts';
import { oweTo, prepareSinks } from '../tickets/outbox.ts';
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
  /**
   * The client's Idempotency-Key: the same key with the same request gives
   * the same ticket and follow-up token, from any instance, without opening
   * another or passing it to the sinks again; with another request,
   * IdempotencyKeyReusedError.
   */
  idempotencyKey?: string;
  /** Files that came with the description (an e-mail's attachments), kept as metadata on its message. */
  attachments?: TicketAttachment[];
  /**
   * The ticket records a question the engine answered and waits for the
   * customer's verdict (the e-mail channel): no `ticket` event yet, so the
   * question is not counted as escalated; the channel writes it with
   * recordEscalation when the customer answers that it did not help.
   */
  deferEscalation?: boolean;
}

/**
 * Hand a conversation over to a person: the ticket carries the transcript,
 * the articles shown with their scores and the user's feedback, so the agent
 * starts where the bot stopped. Stored with the webhook and the e-mail it
 * owes, in one transaction or file write (core/tickets/outbox.ts), so an
 * acknowledged ticket is never without them; then passed to the other sinks,
 * whose failures never lose the ticket.
 * The customer gets a follow-up token, shown once: the ticket keeps its hash.
 * With an Idempotency-Key, a retry (from any instance) replays the first
 * attempt's ticket and token instead of opening a second ticket.
 */
export async function openTicket(
  core: CoreServices,
  input: OpenTicketInput,
): Promise<{ id: string; status: TicketStatus; followUpToken: string; ticket: Ticket; replayed?: boolean }> {
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

  const key = input.idempotencyKey;
  const claim = key === undefined ? undefined : newIdempotencyClaim(key, requestOf(input));
  const followUp = key && claim ? derivedToken(key, claim) : newFollowUpToken();
  const description = input.description?.trim() || undefined;
  const now = new Date().toISOString();
  const channel = c?.channel ?? input.channel;
  // Signed attributes only (core/identity/verifyUser.ts drops the others).
  const attributes = input.asker?.verified ? input.asker.attributes : undefined;
  const triage = triageNewTicket(core, { conversation: c, draft: { channel, lang, subject, description }, attributes });
  const draft: TicketDraft = {
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
    messages: description
      ? [
          {
            id: randomUUID(),
            from: 'customer',
            text: description,
            internal: false,
            at: now,
            ...(input.attachments?.length ? { attachments: input.attachments } : {}),
          },
        ]
      : [],
  };
  await prepareSinks(core.sinks);
  const owe = oweTo(core.sinks, { event: 'ticket.created', handOver: { followUpToken: followUp.token } });
  let ticket: Ticket;
  if (key && claim) {
    const once = await core.tickets.createOnce(claim, draft, owe);
    if (once.replayed) {
      const t = once.ticket;
      return {
        id: t.id,
        status: t.status,
        followUpToken: derivedToken(key, once.claim).token,
        ticket: t,
        replayed: true,
      };
    }
    ticket = once.ticket;
  } else ticket = await core.tickets.create(draft, owe);
  if (!input.deferEscalation) await recordEscalation(core, ticket, reason, c);
  await handToSinks(core.sinks, ticket, { followUpToken: followUp.token });
  return { id: ticket.id, status: ticket.status, followUpToken: followUp.token, ticket };
}

/**
 * The `ticket` event every report counts: the ticket escalates the questions
 * of its conversation (and of the same person) within the deflection window.
 * Written when the ticket opens, or — for a ticket opened with
 * deferEscalation — when the customer says the answer did not help.
 */
export async function recordEscalation(
  core: Pick<CoreServices, 'events' | 'conversations'>,
  ticket: Ticket,
  reason: Ticket['reason'],
  c?: Conversation,
): Promise<void> {
  const conversation = c ?? (ticket.conversationId ? await core.conversations.get(ticket.conversationId) : undefined);
  await core.events.append({
    type: 'ticket',
    conversationId: conversation?.id ?? ticket.conversationId ?? `ticket:${ticket.id}`,
    channel: conversation?.channel ?? ticket.channel,
    lang: ticket.lang,
    user: conversation
      ? { ...conversation.user, email: ticket.email, name: ticket.name }
      : { id: ticket.userId, email: ticket.email, name: ticket.name },
    ticketId: ticket.id,
    reason,
  });
}

/** What makes the request the same request again: the fields the client sent, in a fixed order. */
function requestOf(input: OpenTicketInput): unknown[] {
  return [
    input.channel,
    input.conversationId ?? null,
    input.email,
    input.name ?? null,
    input.userId ?? null,
    input.subject ?? null,
    input.description ?? null,
    input.lang ?? null,
  ];
}

function derivedToken(key: string, claim: IdempotencyClaim): { token: string; hash: string } {
  const token = followUpTokenOf(key, claim);
  return { token, hash: hashFollowUpToken(token) };
}
