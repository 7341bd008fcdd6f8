import type { WebhookConfig } from '../config/tickets.ts';
import type { DeliveryQueue, OwedDelivery } from '../storage/ports.ts';
import { retryDead, type RetryResult } from './deliveryWorker.ts';
import { owedDelivery, ticketForOthers, type OwedChange } from './outbox.ts';
import type { Ticket, TicketSink } from './types.ts';

export { SIGNATURE_HEADER, TIMESTAMP_HEADER, signWebhook } from './postWebhook.ts';

/**
 * Sends each ticket's creation and changes to a URL as JSON, signed. It only
 * owes a delivery per change, which the ticket store writes with the change
 * itself (core/tickets/outbox.ts); the delivery worker of whichever instance
 * claims it first posts it (core/tickets/deliveryWorker.ts). So a change
 * acknowledged to the user is delivered even if this process dies right after.
 */
export class WebhookSink implements TicketSink {
  readonly name = 'webhook';

  constructor(
    private readonly config: WebhookConfig,
    readonly queue: DeliveryQueue,
  ) {}

  owe(change: OwedChange, ticket: Ticket): OwedDelivery[] {
    const detail = 'detail' in change ? change.detail : undefined;
    return [owedDelivery('webhook', ticket, change.event, { ticket: ticketForOthers(ticket), ...detail })];
  }

  /** Resend every dead delivery once; those that fail again stay dead, with the new error. */
  retryDeadLetters(): Promise<RetryResult> {
    return retryDead(this.queue, this.config);
  }
}
