import type { MailConfig } from '../config/mail.ts';
import { log } from '../logger.ts';
import type { DeliveryQueue, OwedDelivery } from '../storage/ports.ts';
import { owedDelivery, type OwedChange } from '../tickets/outbox.ts';
import { retryDead, type DeliverySender, type RetryResult } from '../tickets/deliveryWorker.ts';
import type { Ticket, TicketMessage, TicketSink } from '../tickets/types.ts';
import { composeMail, type MailKind, type OutgoingMail } from './composeMail.ts';
import { openToken, sealToken } from './linkSeal.ts';
import { replyAddressOf, replyTokenOf } from './replyToken.ts';

export interface CustomerMailDeps {
  queue: DeliveryQueue;
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
 * satisfaction links). A sink like the webhook: each mail is owed by the
 * ticket change that calls for it and written with it (core/tickets/outbox.ts),
 * so a crash cannot keep the change and lose its mail; the mail worker sends
 * it and retries (core/mail/mailSender.ts). Customers without an address get
 * nothing; internal notes never reach it.
 */
export class CustomerMailSink implements TicketSink {
  readonly name = 'mail';
  private key: Buffer | undefined;

  constructor(private readonly deps: CustomerMailDeps) {}

  get sender(): DeliverySender {
    return this.deps.sender;
  }

  /** Resend every dead mail once (after an SMTP outage outlasted MAIL_MAX_ATTEMPTS); those that fail again stay dead. */
  retryDeadMail(): Promise<RetryResult> {
    return retryDead(this.deps.queue, this.deps.sender);
  }

  /** The link key, read once: `owe` runs under the store's lock and cannot wait for it. */
  async prepare(): Promise<void> {
    this.key ??= await this.deps.linkKey();
  }

  owe(change: OwedChange, t: Ticket): OwedDelivery[] {
    if (!hasAddress(t.email)) return [];
    const key = this.key;
    if (!key) throw new Error('CustomerMailSink.owe before prepare()');
    if (change.event === 'ticket.created') {
      const token = change.handOver?.followUpToken ?? null;
      // Kept sealed for the later mails; the ticket itself still holds only the token's hash.
      if (token) t.customerMail = { ...t.customerMail, sealedLink: sealToken(key, t.id, token) };
      // A ticket opened from an e-mail is answered by the e-mail channel itself (its reply is the first mail: email/).
      return t.channel === 'email' ? [] : [this.mail('created', t, token)];
    }
    const owed: OwedDelivery[] = [];
    const message = 'detail' in change ? (change.detail?.message as TicketMessage | undefined) : undefined;
    if (change.event === 'ticket.message' && message?.from === 'agent' && !message.internal)
      owed.push(this.mail('reply', t, this.token(t), message));
    // One satisfaction mail per time the ticket is solved, however many changes follow: claimed on the ticket.
    if (t.status === 'solved' && t.solvedAt && t.customerMail?.solvedMailFor !== t.solvedAt) {
      t.customerMail = { ...t.customerMail, solvedMailFor: t.solvedAt };
      owed.push(this.mail('solved', t, this.token(t)));
    }
    return owed;
  }

  /** The Reply-To of a ticket's mails, when replies are read: the support address with the ticket's +token. */
  async replyToFor(ticketId: string): Promise<string | undefined> {
    await this.prepare();
    return this.replyTo(ticketId);
  }

  private replyTo(ticketId: string): string | undefined {
    const address = this.deps.replyAddress;
    return address ? replyAddressOf(address, replyTokenOf(this.key!, ticketId)) : undefined;
  }

  /** The key of the +tokens (the follow-up links' key): what the e-mail channel checks a token against. */
  replyKey(): Promise<Buffer> {
    return this.deps.linkKey();
  }

  /**
   * Queue a mail composed elsewhere (the e-mail channel's answer) in the same
   * durable queue, sent by the same worker. Not owed by a ticket change: the
   * e-mail channel records its own steps (email/).
   */
  async queue(kind: string, mail: OutgoingMail): Promise<void> {
    const d = await this.deps.queue.enqueue({ event: `mail.${kind}`, payload: { ticketId: mail.ticketId, mail } });
    log.info('mail', 'mail queued', { ticketId: mail.ticketId, kind, deliveryId: d.id });
  }

  /** The follow-up token sealed at creation; null when there is none or its seal no longer opens (the key changed). */
  private token(t: Ticket): string | null {
    const sealed = t.customerMail?.sealedLink;
    if (!sealed) return null;
    const token = openToken(this.key!, t.id, sealed);
    if (!token) log.warn('mail', 'the follow-up link could not be unsealed: sent without it', { ticketId: t.id });
    return token;
  }

  private mail(kind: MailKind, ticket: Ticket, token: string | null, message?: TicketMessage): OwedDelivery {
    const mail = composeMail({
      kind,
      ticket,
      message,
      token,
      publicUrl: this.deps.publicUrl,
      fromAddress: this.deps.mail.fromAddress,
      replyTo: this.replyTo(ticket.id),
    });
    return owedDelivery('mail', ticket, `mail.${kind}`, { ticketId: ticket.id, mail });
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
