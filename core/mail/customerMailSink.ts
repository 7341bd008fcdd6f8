import type { MailConfig } from '../config/mail.ts';
import { log } from '../logger.ts';
import type { DeliveryQueue, TicketRepository } from '../storage/ports.ts';
import { retryDead, type DeliverySender, type RetryResult } from '../tickets/deliveryWorker.ts';
import type { SinkHandOver, Ticket, TicketChangeEvent, TicketMessage, TicketSink } from '../tickets/types.ts';
import { composeMail, type MailKind, type OutgoingMail } from './composeMail.ts';
import { openToken, sealToken } from './linkSeal.ts';
import { replyAddressOf, replyTokenOf } from './replyToken.ts';

export interface CustomerMailDeps {
  queue: DeliveryQueue;
  tickets: TicketRepository;
  linkKey: () => Promise<Buffer>;
  publicUrl: string;
  mail: Pick<MailConfig, 'fromAddress'>;
  /** How a mail is sent (core/mail/mailSender.ts): by the mail worker, and for a resend of the dead ones. */
  sender: DeliverySender;
  /** The support address the e-mail channel reads (EMAIL_ADDRESS): when set, every mail asks to be answered at its +token form. */
  replyAddress?: string;
}

/**
 * E-mails the customer what happens to their ticket: its creation (with the
 * follow-up link), each public agent reply, and its solving (with the
 * satisfaction links). A sink like the webhook: the ticket change is already
 * committed when it is told, and each mail is only queued here, durably; the
 * mail worker sends it and retries (core/mail/mailSender.ts). Customers
 * without an address get nothing; internal notes never reach it.
 */
export class CustomerMailSink implements TicketSink {
  readonly name = 'mail';

  constructor(private readonly deps: CustomerMailDeps) {}

  get sender(): DeliverySender {
    return this.deps.sender;
  }

  /** Resend every dead mail once (after an SMTP outage outlasted MAIL_MAX_ATTEMPTS); those that fail again stay dead. */
  retryDeadMail(): Promise<RetryResult> {
    return retryDead(this.deps.queue, this.deps.sender);
  }

  async deliver(ticket: Ticket, handOver?: SinkHandOver): Promise<void> {
    if (!hasAddress(ticket.email)) return;
    const token = handOver?.followUpToken ?? null;
    if (token) {
      // Kept sealed for the later mails; the ticket itself still holds only the token's hash.
      const sealedLink = sealToken(await this.deps.linkKey(), ticket.id, token);
      await this.deps.tickets.update(ticket.id, (t) => {
        t.customerMail = { ...t.customerMail, sealedLink };
      });
    }
    // A ticket opened from an e-mail is answered by the e-mail channel itself (its reply is the first mail: email/).
    if (ticket.channel === 'email') return;
    await this.enqueue('created', ticket, token);
  }

  /** The Reply-To of a ticket's mails, when replies are read: the support address with the ticket's +token. */
  async replyToFor(ticketId: string): Promise<string | undefined> {
    const address = this.deps.replyAddress;
    return address ? replyAddressOf(address, replyTokenOf(await this.deps.linkKey(), ticketId)) : undefined;
  }

  /** The key of the +tokens (the follow-up links' key): what the e-mail channel checks a token against. */
  replyKey(): Promise<Buffer> {
    return this.deps.linkKey();
  }

  /** Queue a mail composed elsewhere (the e-mail channel's answer) in the same durable queue, sent by the same worker. */
  async queue(kind: string, mail: OutgoingMail): Promise<void> {
    const d = await this.deps.queue.enqueue({ event: `mail.${kind}`, payload: { ticketId: mail.ticketId, mail } });
    log.info('mail', 'mail queued', { ticketId: mail.ticketId, kind, deliveryId: d.id });
  }

  async announce(event: TicketChangeEvent, ticket: Ticket, detail: Record<string, unknown> = {}): Promise<void> {
    if (!hasAddress(ticket.email)) return;
    const message = detail.message as TicketMessage | undefined;
    if (event === 'ticket.message' && message?.from === 'agent' && !message.internal)
      await this.enqueue('reply', ticket, await this.token(ticket.id), message);
    if (ticket.status === 'solved') await this.solved(ticket.id);
  }

  /** One satisfaction mail per time the ticket is solved, however many changes follow: claimed on the ticket, under its lock. */
  private async solved(id: string): Promise<void> {
    let claimed = false;
    const t = await this.deps.tickets.update(id, (t) => {
      if (t.status !== 'solved' || !t.solvedAt || t.customerMail?.solvedMailFor === t.solvedAt) return false;
      t.customerMail = { ...t.customerMail, solvedMailFor: t.solvedAt };
      claimed = true;
    });
    if (claimed) await this.enqueue('solved', t, await this.token(id));
  }

  /** The follow-up token sealed at creation; null when there is none or its seal no longer opens (the key changed). */
  private async token(id: string): Promise<string | null> {
    const sealed = (await this.deps.tickets.get(id)).customerMail?.sealedLink;
    if (!sealed) return null;
    const token = openToken(await this.deps.linkKey(), id, sealed);
    if (!token) log.warn('mail', 'the follow-up link could not be unsealed: sent without it', { ticketId: id });
    return token;
  }

  private async enqueue(kind: MailKind, ticket: Ticket, token: string | null, message?: TicketMessage): Promise<void> {
    const mail = composeMail({
      kind,
      ticket,
      message,
      token,
      publicUrl: this.deps.publicUrl,
      fromAddress: this.deps.mail.fromAddress,
      replyTo: await this.replyToFor(ticket.id),
    });
    await this.queue(kind, mail);
  }
}

/** A ticket opened without an address (a channel that knows none) gets no mail. */
function hasAddress(email: string | undefined): email is string {
  return !!email && /^[^\s@<>]+@[^\s@<>]+$/.test(email.trim());
}

/** The customer-mail sink among the sinks (every deployment has one; absent only in a hand-built service bag). */
export function mailSinkOf(sinks: readonly TicketSink[]): CustomerMailSink | undefined {
  return sinks.find((s): s is CustomerMailSink => s instanceof CustomerMailSink);
}
