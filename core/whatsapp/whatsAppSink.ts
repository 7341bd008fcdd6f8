import type { WhatsAppConfig } from '../config/whatsapp.ts';
import type { Lang } from '../contracts/api.ts';
import { log } from '../logger.ts';
import type { Delivery, DeliveryQueue, KeyValueRepository, OwedDelivery } from '../storage/ports.ts';
import { retryDead, type DeliverySender, type RetryResult } from '../tickets/deliveryWorker.ts';
import { owedDelivery, type OwedChange } from '../tickets/outbox.ts';
import type { Attempt } from '../tickets/postWebhook.ts';
import type { Ticket, TicketMessage, TicketSink } from '../tickets/types.ts';
import { readConversation } from './channelState.ts';
import type { GraphClient, GraphMessage } from './graphClient.ts';
import { insideServiceWindow } from './serviceWindow.ts';

const REPLY: Record<Lang, (id: string, text: string) => string> = {
  es: (id, text) => `Respuesta a tu solicitud ${id}:\n\n${text}`,
  en: (id, text) => `Reply to your request ${id}:\n\n${text}`,
};

/** Template parameters may not hold new lines, tabs or more than four spaces in a row, and are kept short. */
const MAX_PARAMETER = 1000;
const asParameter = (text: string) => text.replace(/\s+/g, ' ').trim().slice(0, MAX_PARAMETER) || '-';

/** What a queued agent reply holds: enough to compose the message at send time, when the window is known. */
export interface OwedReply {
  ticketId: string;
  /** The customer's WhatsApp id (the ticket's userId). */
  to: string;
  lang: Lang;
  message: { id: string; text: string };
}

/**
 * The channel-state key that records a reply as sent. Graph has no
 * idempotency key and a customer cannot de-duplicate: when a sent reply's
 * delivery could not be marked delivered (the queue unreachable a moment, the
 * lease run out), the worker that claims it again finds this and does not
 * send it twice. Expires with the channel state (BOT_STATE_TTL_DAYS).
 */
export const sentKey = (deliveryId: string) => `whatsapp/sent/${deliveryId}`;

export interface WhatsAppSinkDeps {
  graph: GraphClient;
  channelState: () => Promise<KeyValueRepository<Record<string, unknown>>>;
  /** The queue the replies wait in (Stores.whatsapp): for resending the dead ones. */
  queue: DeliveryQueue;
  config: Pick<WhatsAppConfig, 'replyTemplate' | 'maxAttempts' | 'backoffMs' | 'timeoutMs'>;
  now?: () => number;
}

/**
 * Takes agents' public replies on WhatsApp tickets back to the customer's
 * WhatsApp. A sink like the customer's e-mail: each reply is owed by the
 * ticket change that adds it and written with it (core/tickets/outbox.ts), so
 * a crash or a Graph outage after the change cannot lose it; the delivery
 * worker sends it, retries with backoff, and keeps it dead after
 * WHATSAPP_MAX_ATTEMPTS. Whether it goes as free-form text (inside the
 * 24-hour customer-service window opened by the customer's last message) or
 * as the approved reply template (outside it, the only kind WhatsApp
 * delivers then) is decided when it is sent, not when it is queued: a retry
 * a day later may have crossed the window's edge.
 */
export class WhatsAppSink implements TicketSink {
  readonly name = 'whatsapp';
  readonly sender: DeliverySender;
  private readonly now: () => number;

  constructor(private readonly deps: WhatsAppSinkDeps) {
    this.now = deps.now ?? Date.now;
    const { maxAttempts, backoffMs, timeoutMs } = deps.config;
    this.sender = {
      category: 'whatsapp',
      maxAttempts,
      backoffMs,
      timeoutMs,
      send: (d, signal) => this.send(d, signal),
    };
  }

  /** A public agent reply on a WhatsApp ticket owes one message to the customer; nothing else does. */
  owe(change: OwedChange, t: Ticket): OwedDelivery[] {
    if (change.event !== 'ticket.message' || !('detail' in change)) return [];
    const message = change.detail?.message as TicketMessage | undefined;
    if (t.channel !== 'whatsapp' || !t.userId || !message) return [];
    if (message.from !== 'agent' || message.internal) return [];
    const reply: OwedReply = {
      ticketId: t.id,
      to: t.userId,
      lang: t.lang,
      message: { id: message.id, text: message.text },
    };
    return [owedDelivery('whatsapp', t, 'whatsapp.reply', { ...reply })];
  }

  /** Resend every dead reply once (after a Graph outage outlasted WHATSAPP_MAX_ATTEMPTS); those that fail again stay dead. */
  retryDeadReplies(): Promise<RetryResult> {
    return retryDead(this.deps.queue, this.sender);
  }

  /** One attempt at a queued reply: the delivery worker's sender. */
  private async send(d: Delivery, signal: AbortSignal): Promise<Attempt> {
    const reply = d.payload as unknown as OwedReply;
    const fields = { ticketId: reply.ticketId, messageId: reply.message.id, deliveryId: d.id };
    let store: KeyValueRepository<Record<string, unknown>>;
    let outgoing: GraphMessage | undefined;
    try {
      store = await this.deps.channelState();
      if (await store.get(sentKey(d.id))) {
        log.info('whatsapp', 'agent reply already sent: not sent again', fields);
        return { ok: true };
      }
      const { conversation } = await readConversation(store, reply.to);
      outgoing = insideServiceWindow(conversation.lastInboundAt, this.now()) ? this.text(reply) : this.template(reply);
    } catch (error) {
      return { ok: false, retry: true, error: `channel state: ${(error as Error).message}` };
    }
    if (!outgoing) {
      // As documented for WHATSAPP_REPLY_TEMPLATE: the reply stays on the ticket.
      log.warn('whatsapp', 'agent reply outside the 24-hour window and no WHATSAPP_REPLY_TEMPLATE: not sent', fields);
      return { ok: true };
    }
    const r = await this.deps.graph.sendOnce(outgoing, signal);
    if (!r.ok) return { ok: false, retry: r.retry, error: r.error };
    await store
      .put([{ key: sentKey(d.id), value: { at: new Date(this.now()).toISOString(), ...(r.id ? { id: r.id } : {}) } }])
      .catch((error: Error) => log.warn('whatsapp', 'could not record an agent reply as sent', { ...fields, error }));
    log.info('whatsapp', 'agent reply sent', { ...fields, as: outgoing.type });
    return { ok: true };
  }

  private text(reply: OwedReply): GraphMessage {
    const body = REPLY[reply.lang](reply.ticketId, reply.message.text).slice(0, 4096);
    return { to: reply.to, type: 'text', text: { body } };
  }

  private template(reply: OwedReply): GraphMessage | undefined {
    const t = this.deps.config.replyTemplate;
    if (!t) return undefined;
    return {
      to: reply.to,
      type: 'template',
      template: {
        name: t.name,
        language: { code: t.lang ?? reply.lang },
        components: [
          {
            type: 'body',
            parameters: [
              { type: 'text', text: reply.ticketId },
              { type: 'text', text: asParameter(reply.message.text) },
            ],
          },
        ],
      },
    };
  }
}

/** The WhatsApp sink among the sinks, when the channel is on. */
export function whatsAppSinkOf(sinks: readonly TicketSink[]): WhatsAppSink | undefined {
  return sinks.find((s): s is WhatsAppSink => s instanceof WhatsAppSink);
}
