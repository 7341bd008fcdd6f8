import { createHash } from 'node:crypto';
import type { EmailConfig } from '../core/config/email.ts';
import type { Lang } from '../core/contracts/api.ts';
import { converse } from '../core/commands/converse.ts';
import { openTicket, recordEscalation } from '../core/commands/openTicket.ts';
import { writeAsCustomer } from '../core/commands/writeToMyTicket.ts';
import { noAutoReplyReason } from '../core/email/autoReplyPolicy.ts';
import {
  claimMessage,
  readEmailTicket,
  rememberThread,
  releaseMessage,
  saveMessage,
  takeAutoReply,
  threadOf,
  writeEmailTicket,
  type MessageRecord,
} from '../core/email/emailState.ts';
import type { InboundMail } from '../core/email/types.ts';
import { log } from '../core/logger.ts';
import { composeEmailReply } from '../core/mail/composeEmailReply.ts';
import { ticketOfMessageId } from '../core/mail/composeMail.ts';
import { mailSinkOf } from '../core/mail/customerMailSink.ts';
import { ticketOfReplyToken, tokenInAddress } from '../core/mail/replyToken.ts';
import type { CoreServices } from '../core/services.ts';
import type { Ticket } from '../core/tickets/types.ts';
import { parseInbound } from './parseInbound.ts';

export interface EmailChannelOptions {
  config: EmailConfig;
  publicUrl: string;
  /** MAIL_FROM's address: our own mail comes from it, and its domain names our Message-IDs. */
  fromAddress: string;
}

/** What became of one message (logs, tests). */
export type Outcome =
  | { kind: 'answered' | 'suggested' | 'received'; ticketId: string; replied: boolean }
  | { kind: 'threaded'; ticketId: string }
  | { kind: 'silent'; ticketId?: string; reason: string }
  | { kind: 'skipped'; reason: 'done' | 'busy' | 'gave_up' };

const MAX_QUESTION = 2000;

/**
 * The e-mail face of Deflect. Each message of the support mailbox is claimed
 * once (core/email/emailState.ts) and then either threads into its ticket —
 * by In-Reply-To, then References, then the +token of the address it was
 * sent to, then `[T-…]` in the subject, the last two only from the ticket's
 * requester — or is a new request: read as one turn of the conversation
 * every channel shares (converse), answered by e-mail (the canned answer and
 * "Did this solve it?", or up to three articles), and kept as a ticket with
 * channel `email`. Bounces and our own mail are dropped; auto-submitted,
 * bulk and list mail, and mail past the sender's hourly limit, get no reply.
 */
export class EmailChannel {
  constructor(
    private readonly core: CoreServices,
    private readonly options: EmailChannelOptions,
  ) {}

  /** One raw message from the mailbox; resolves once it is handled (or set aside), rejects when it must be tried again. */
  async receive(raw: Buffer, now = new Date()): Promise<Outcome> {
    const mail = await parseInbound(raw);
    const store = await this.core.channelState();
    const claim = await claimMessage(store, mail.key, now);
    if (claim.kind === 'done' || claim.kind === 'busy') return { kind: 'skipped', reason: claim.kind };
    if (claim.kind === 'gave_up') {
      log.error('email', 'message set aside after repeated failures', { messageKey: keyHash(mail.key) });
      return { kind: 'skipped', reason: 'gave_up' };
    }
    let { record, eTag } = claim;
    const save = async (change: Partial<MessageRecord>) => {
      record = { ...record, ...change };
      eTag = await saveMessage(store, mail.key, record, eTag);
    };
    try {
      const outcome = await this.handle(mail, record, save, now);
      await save({ state: 'done' });
      log.info('email', 'message handled', { messageKey: keyHash(mail.key), ...outcome });
      return outcome;
    } catch (error) {
      log.error('email', 'message not handled: it will be tried again', {
        messageKey: keyHash(mail.key),
        error: error as Error,
      });
      await releaseMessage(store, mail.key, record, eTag).catch(() => undefined);
      throw error;
    }
  }

  private async handle(
    mail: InboundMail,
    record: MessageRecord,
    save: (change: Partial<MessageRecord>) => Promise<void>,
    now: Date,
  ): Promise<Outcome> {
    const { fromAddress, config } = this.options;
    const reason = noAutoReplyReason(mail, {
      addresses: [fromAddress, config.address],
      messageIdDomain: fromAddress.split('@')[1] ?? 'localhost',
    });
    if (reason === 'bounce' || reason === 'own' || !mail.from) return { kind: 'silent', reason: reason ?? 'no_sender' };
    // Resumed after a crash: what was done is recorded, the rest is done now.
    if (record.written && record.ticketId) return { kind: 'threaded', ticketId: record.ticketId };
    const existing = record.ticketId ? undefined : await this.threadedTicket(mail);
    if (existing) {
      // An out-of-office answer to our mail must not reopen the ticket.
      if (reason) return { kind: 'silent', ticketId: existing.id, reason };
      return this.intoTicket(mail, existing, save);
    }
    if (reason) {
      const t = await this.open(mail, { record, save });
      return { kind: 'silent', ticketId: t.ticket.id, reason };
    }
    return this.newRequest(mail, record, save, now);
  }

  /** The customer writes again: their message joins the ticket (reopening it as the lifecycle says). */
  private async intoTicket(
    mail: InboundMail,
    ticket: Ticket,
    save: (change: Partial<MessageRecord>) => Promise<void>,
  ): Promise<Outcome> {
    const store = await this.core.channelState();
    const written = await writeAsCustomer(this.core, {
      id: ticket.id,
      text: bodyOf(mail) || mail.subject || '(empty message)',
      attachments: mail.attachments,
    });
    await save({ ticketId: written.ticketId, written: true });
    if (mail.messageId) await rememberThread(store, mail.messageId, written.ticketId);
    // An answered e-mail's ticket was not an escalation yet: the customer writing back says the answer was not enough.
    const known = await readEmailTicket(store, ticket.id);
    if (known && !known.value.escalated && !known.value.confirmed) {
      await writeEmailTicket(store, ticket.id, { ...known.value, escalated: true }, known.eTag);
      await recordEscalation(this.core, ticket, 'not_helpful');
    }
    return { kind: 'threaded', ticketId: written.ticketId };
  }

  /** A new request: the engine's answer, a ticket either way, and a reply unless the sender had theirs this hour. */
  private async newRequest(
    mail: InboundMail,
    record: MessageRecord,
    save: (change: Partial<MessageRecord>) => Promise<void>,
    now: Date,
  ): Promise<Outcome> {
    const store = await this.core.channelState();
    const from = mail.from!;
    const conversationId = `em-${keyHash(mail.key).slice(0, 32)}`;
    const question = [mail.subject, bodyOf(mail)].filter(Boolean).join('\n').slice(0, MAX_QUESTION);
    const { replies, state } = await converse(this.core, {
      conversationId,
      channel: 'email',
      user: { email: from.address, ...(from.name ? { name: from.name } : {}) },
      text: question,
      state: {},
      audiences: async () => ['public'],
      contactEmail: async () => from.address,
    });
    const first = replies[0];
    const answer = first?.kind === 'answer' ? first.answer : undefined;
    const suggestions = first?.kind === 'choices' ? first.options.slice(0, 3) : [];
    const lang: Lang = answer?.lang ?? state.lang ?? this.core.defaultLang;
    const opened = await this.open(mail, { record, save, conversationId, lang, answered: !!answer });
    const { ticket, followUpToken } = opened;
    if (answer && !opened.replayed)
      await writeEmailTicket(store, ticket.id, { conversationId, articleId: answer.articleId, escalated: false }).catch(
        () => undefined,
      );
    const kind = answer ? 'answered' : suggestions.length ? 'suggested' : 'received';
    if (record.replied) return { kind, ticketId: ticket.id, replied: true };
    if (!(await takeAutoReply(store, from.address, this.options.config.autoRepliesPerHour, now))) {
      log.warn('email', 'automatic reply withheld: the sender reached the hourly limit', { ticketId: ticket.id });
      return { kind, ticketId: ticket.id, replied: false };
    }
    const sink = mailSinkOf(this.core.sinks);
    if (!sink) return { kind, ticketId: ticket.id, replied: false };
    const publicUrl = this.options.publicUrl;
    await sink.queue(
      'answer',
      composeEmailReply({
        ticket,
        answer: answer
          ? { title: answer.title, text: answer.text, url: answer.url && `${publicUrl}${answer.url}` }
          : undefined,
        suggestions: suggestions.map((s) => ({
          title: s.title,
          url: `${publicUrl}/articles/${encodeURIComponent(s.articleId)}`,
        })),
        token: followUpToken,
        publicUrl,
        fromAddress: this.options.fromAddress,
        replyTo: await sink.replyToFor(ticket.id),
        customer: { subject: mail.subject, messageId: mail.messageId, references: mail.references },
      }),
    );
    await save({ replied: true });
    return { kind, ticketId: ticket.id, replied: true };
  }

  /**
   * The ticket of a new message, once: under an idempotency key derived from
   * the message, so a message resumed after a crash finds the ticket its
   * first attempt opened (with the same follow-up token) instead of a second.
   */
  private async open(
    mail: InboundMail,
    o: {
      record: MessageRecord;
      save: (change: Partial<MessageRecord>) => Promise<void>;
      conversationId?: string;
      lang?: Lang;
      answered?: boolean;
    },
  ): Promise<{ ticket: Ticket; followUpToken: string; replayed: boolean }> {
    const from = mail.from!;
    const created = await openTicket(this.core, {
      channel: 'email',
      ...(o.conversationId ? { conversationId: o.conversationId } : {}),
      email: from.address,
      ...(from.name ? { name: from.name } : {}),
      subject: mail.subject || undefined,
      description: bodyOf(mail) || mail.subject || undefined,
      ...(o.lang ? { lang: o.lang } : {}),
      attachments: mail.attachments,
      idempotencyKey: `email:${keyHash(mail.key)}`,
      ...(o.answered ? { deferEscalation: true } : {}),
    });
    if (o.record.ticketId !== created.id) await o.save({ ticketId: created.id });
    if (mail.messageId) await rememberThread(await this.core.channelState(), mail.messageId, created.id);
    return { ticket: created.ticket, followUpToken: created.followUpToken, replayed: !!created.replayed };
  }

  /** The ticket this message answers, in the order of trust: our headers, then the requester's token or subject. */
  private async threadedTicket(mail: InboundMail): Promise<Ticket | undefined> {
    const store = await this.core.channelState();
    const { config } = this.options;
    for (const id of [mail.inReplyTo, ...[...mail.references].reverse()]) {
      if (!id) continue;
      // A message of the customer's we took in, or one of ours.
      const known = await threadOf(store, id);
      const t = known ? await this.ticket(known) : await this.ourTicket(id);
      if (t) return t;
    }
    const sender = mail.from!.address;
    const key = await mailSinkOf(this.core.sinks)?.replyKey();
    const tokens = mail.recipients.map((r) => tokenInAddress(r, config.address)).filter((x): x is string => !!x);
    const byToken = key ? tokens.map((tk) => ticketOfReplyToken(key, tk)).find(Boolean) : undefined;
    const bySubject = /\[(T-\d{1,12})\]/.exec(mail.subject)?.[1];
    for (const ticketId of [byToken, bySubject]) {
      if (!ticketId) continue;
      const t = await this.ticket(ticketId);
      // A token or an id in a subject can be copied: only the requester may write through them.
      if (t && t.email.toLowerCase() === sender) return t;
    }
    return undefined;
  }

  /** The ticket one of our Message-IDs names; it must also name the ticket's creation time, so a bare ticket id in a made-up header is not enough. */
  private async ourTicket(messageId: string): Promise<Ticket | undefined> {
    const id = ticketOfMessageId(messageId, this.options.fromAddress);
    const t = id ? await this.ticket(id) : undefined;
    return t && messageId.includes(`.${t.id}.${Date.parse(t.createdAt).toString(36)}`) ? t : undefined;
  }

  private async ticket(id: string): Promise<Ticket | undefined> {
    return this.core.tickets.get(id).catch(() => undefined);
  }
}

/** What the person wrote, without the quoted mail below it or their signature. */
export function bodyOf(mail: Pick<InboundMail, 'text'>): string {
  const lines: string[] = [];
  for (const line of mail.text.replace(/\r\n/g, '\n').split('\n')) {
    if (/^-- ?$/.test(line)) break;
    if (/^(On|El) .+(wrote|escribió):\s*$/.test(line.trim())) break;
    if (/^-{2,}\s*(Original Message|Mensaje original)/i.test(line.trim())) break;
    if (line.startsWith('>')) continue;
    lines.push(line);
  }
  return lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function keyHash(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}
