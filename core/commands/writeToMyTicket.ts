import { randomUUID } from 'node:crypto';
import type { PublicTicketMessage, TicketStatus } from '../contracts/api.ts';
import { log } from '../logger.ts';
import type { CoreServices } from '../services.ts';
import { customerView, ticketForCustomer } from '../tickets/customerView.ts';
import { newFollowUpToken } from '../tickets/followUpToken.ts';
import { addCustomerMessage, type Milestones, TicketStateError } from '../tickets/lifecycle.ts';
import { recordMilestones } from '../tickets/ticketEvents.ts';
import type { Ticket, TicketAttachment } from '../tickets/types.ts';
import { announceToSinks, handToSinks } from '../tickets/handToSinks.ts';
import { oweTo, prepareSinks } from '../tickets/outbox.ts';

export interface WriteToMyTicketResult {
  /** The ticket the message went to: this one, or the follow-up ticket a closed one leads to. */
  ticketId: string;
  status: TicketStatus;
  message: PublicTicketMessage;
  /** Set when a follow-up ticket was opened: its own token, shown once. */
  followUpToken?: string;
}

/**
 * The customer writes on their ticket. On pending or solved it opens again
 * (a reopen, recorded); on a closed ticket the message opens a follow-up
 * ticket linked to it, with its own token, since a closed ticket's history
 * stays as it was measured.
 */
export async function writeToMyTicket(
  core: Pick<CoreServices, 'tickets' | 'events' | 'sinks'>,
  input: { id: string; token?: string; verifiedUserId?: string; text: string; now?: Date },
): Promise<WriteToMyTicketResult> {
  await ticketForCustomer(core.tickets, input.id, input);
  return writeAsCustomer(core, input);
}

/**
 * The customer's message once the caller has shown the ticket is theirs
 * (a token, a verified user, or the channel that opened it: core/commands/writeToChannelTicket.ts).
 */
export async function writeAsCustomer(
  core: Pick<CoreServices, 'tickets' | 'events' | 'sinks'>,
  input: {
    id: string;
    text: string;
    now?: Date;
    /** An e-mail's files, as metadata. */ attachments?: TicketAttachment[];
  },
): Promise<WriteToMyTicketResult> {
  const now = input.now ?? new Date();
  let milestones: Milestones = {};
  let closed = false;
  let messageId = '';
  await prepareSinks(core.sinks);
  const t = await core.tickets.update(
    input.id,
    (t) => {
      closed = t.status === 'closed';
      if (closed) return false;
      const step = addCustomerMessage(t, input.text, now);
      if (input.attachments?.length) step.message!.attachments = input.attachments;
      milestones = step.milestones;
      messageId = step.message!.id;
    },
    oweTo(core.sinks, (t) => ({ event: 'ticket.message', detail: { message: messageOf(t, messageId) } })),
  );
  if (closed) return openFollowUp(core, t, input.text, now, input.attachments);
  await recordMilestones(core.events, t, milestones);
  const message = messageOf(t, messageId);
  await announceToSinks(core.sinks, 'ticket.message', t, { message });
  return { ticketId: t.id, status: t.status, message };
}

async function openFollowUp(
  core: Pick<CoreServices, 'tickets' | 'events' | 'sinks'>,
  closed: Ticket,
  text: string,
  now: Date,
  attachments?: TicketAttachment[],
): Promise<WriteToMyTicketResult> {
  const token = newFollowUpToken();
  await prepareSinks(core.sinks);
  const owe = oweTo(core.sinks, { event: 'ticket.created', handOver: { followUpToken: token.token } });
  const next = await core.tickets.create(
    {
      channel: closed.channel,
      lang: closed.lang,
      email: closed.email,
      name: closed.name,
      userId: closed.userId,
      ...(closed.verifiedUserId ? { verifiedUserId: closed.verifiedUserId } : {}),
      subject: closed.subject,
      reason: 'user',
      transcript: [],
      shown: [],
      tags: [...closed.tags],
      followUpOf: closed.id,
      followUpHash: token.hash,
      messages: [
        {
          id: randomUUID(),
          from: 'customer',
          text,
          internal: false,
          at: now.toISOString(),
          ...(attachments?.length ? { attachments } : {}),
        },
      ],
    },
    owe,
  );
  await core.tickets
    .update(closed.id, (t) => {
      if (t.status !== 'closed') throw new TicketStateError('reopened meanwhile');
      (t.followUps ??= []).push(next.id);
    })
    .catch((error: Error) => log.warn('tickets', 'could not link a follow-up ticket', { ticketId: closed.id, error }));
  // A follow-up is a new ticket to every report: the same event openTicket writes.
  await core.events.append({
    type: 'ticket',
    conversationId: `ticket:${next.id}`,
    channel: next.channel,
    lang: next.lang,
    user: { id: next.userId, email: next.email || undefined, name: next.name },
    ticketId: next.id,
    reason: next.reason,
  });
  await handToSinks(core.sinks, next, { followUpToken: token.token });
  return {
    ticketId: next.id,
    status: next.status,
    message: messageOf(next, next.messages[0]!.id),
    followUpToken: token.token,
  };
}

function messageOf(t: Ticket, id: string): PublicTicketMessage {
  return customerView(t).messages.find((m) => m.id === id)!;
}
