import type { WebhookConfig } from '../config/tickets.ts';
import { log } from '../logger.ts';
import type { DeliveryQueue } from '../storage/ports.ts';
import { retryDead, type RetryResult } from './deliveryWorker.ts';
import type { Ticket, TicketChangeEvent, TicketSink } from './types.ts';

export { SIGNATURE_HEADER, TIMESTAMP_HEADER, signWebhook } from './postWebhook.ts';

/**
 * Sends each new ticket to a URL as JSON, signed: it only enqueues a
 * `ticket.created` delivery, durably, and the delivery worker of whichever
 * instance claims it first posts it (core/tickets/deliveryWorker.ts). So a
 * ticket acknowledged to the user is delivered even if this process dies
 * before the receiver answers. The ticket itself is already safe in the
 * built-in store.
 */
export class WebhookSink implements TicketSink {
  readonly name = 'webhook';

  constructor(
    private readonly config: WebhookConfig,
    readonly queue: DeliveryQueue,
  ) {}

  async deliver(ticket: Ticket): Promise<void> {
    const d = await this.queue.enqueue({ event: 'ticket.created', payload: { ticket } });
    log.info('webhook', 'delivery queued', { ticketId: ticket.id, deliveryId: d.id });
  }

  async announce(event: TicketChangeEvent, ticket: Ticket, detail: Record<string, unknown> = {}): Promise<void> {
    const d = await this.queue.enqueue({ event, payload: { ticket, ...detail } });
    log.info('webhook', 'delivery queued', { ticketId: ticket.id, event, deliveryId: d.id });
  }

  /** Resend every dead delivery once; those that fail again stay dead, with the new error. */
  retryDeadLetters(): Promise<RetryResult> {
    return retryDead(this.queue, this.config);
  }
}
