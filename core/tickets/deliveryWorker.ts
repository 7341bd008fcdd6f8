import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { WebhookConfig } from '../config/tickets.ts';
import { log } from '../logger.ts';
import type { Delivery, DeliveryQueue } from '../storage/ports.ts';
import { postWebhook, type Attempt } from './postWebhook.ts';

/** How a queue's deliveries are retried: attempts before one is kept dead, the first backoff (doubled each time), one attempt's time. */
export type RetryPolicy = Pick<WebhookConfig, 'maxAttempts' | 'backoffMs' | 'timeoutMs'>;

/** One attempt at a delivery of another queue than the webhooks' (the customer's e-mails): what the worker sends with. */
export interface DeliverySender extends RetryPolicy {
  /** The log category of this queue ('mail'). */
  category: string;
  send(d: Delivery, signal: AbortSignal): Promise<Attempt>;
}

export interface DeliveryWorkerOptions {
  /** Look for due deliveries at least this often (a new one on this instance, or NOTIFY, wakes it sooner). */
  pollMs?: number;
  /** Deliveries claimed and sent at once. */
  batch?: number;
  /** How long a claim holds a delivery; past it another worker may take it. Must exceed one attempt's timeout. */
  leaseMs?: number;
}

export interface RetryResult {
  resent: number;
  remaining: number;
  errors: { ticketId: string; error: string }[];
}

/**
 * Sends the queued webhook deliveries; each instance runs one. It claims
 * what is due, posts it, and forgets it once taken; on a failure worth
 * retrying it reschedules after WEBHOOK_BACKOFF_MS doubled per attempt, and
 * after the last attempt (or a refusal) keeps it dead for `retryDead`.
 * Given a DeliverySender instead of the webhook's config, it works another
 * queue the same way (the customer's e-mails, core/mail/).
 */
export class DeliveryWorker {
  readonly id = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly pollMs: number;
  private readonly batch: number;
  private readonly leaseMs: number;
  private readonly stopping = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  /** The earliest retry this worker scheduled: poll no later than that. */
  private nextRetry = Infinity;
  private unsubscribe: (() => void) | undefined;
  private readonly send: (d: Delivery, signal: AbortSignal) => Promise<Attempt>;
  private readonly category: string;

  constructor(
    private readonly queue: DeliveryQueue,
    private readonly config: WebhookConfig | DeliverySender,
    opts: DeliveryWorkerOptions = {},
  ) {
    this.send = senderOf(config);
    this.category = 'send' in config ? config.category : 'webhook';
    this.pollMs = opts.pollMs ?? 1000;
    this.batch = opts.batch ?? 20;
    this.leaseMs = opts.leaseMs ?? config.timeoutMs + 30_000;
  }

  start(): this {
    this.unsubscribe = this.queue.onEnqueued(() => this.wake());
    this.wake();
    return this;
  }

  /** Look for due deliveries now (coalesced with a pass under way). */
  wake(): void {
    if (this.stopping.signal.aborted) return;
    if (this.running) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.running = this.drain().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        this.wake();
      } else this.schedule();
    });
  }

  /** Stop claiming; an attempt under way is cut short and stays due, for this instance's next start or another. */
  async close(): Promise<void> {
    this.stopping.abort();
    this.unsubscribe?.();
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(): void {
    if (this.stopping.signal.aborted) return;
    const wait = Math.max(0, Math.min(this.pollMs, this.nextRetry - Date.now()));
    this.nextRetry = Infinity;
    this.timer = setTimeout(() => this.wake(), wait);
    this.timer.unref();
  }

  private async drain(): Promise<void> {
    while (!this.stopping.signal.aborted) {
      let claimed: Delivery[];
      try {
        claimed = await this.queue.claim(this.id, { limit: this.batch, leaseMs: this.leaseMs });
      } catch (error) {
        log.warn(this.category, 'could not read the delivery queue; trying again', { error });
        return;
      }
      if (!claimed.length) return;
      await Promise.all(claimed.map((d) => this.attempt(d)));
    }
  }

  private async attempt(d: Delivery): Promise<void> {
    const r = await this.send(d, this.stopping.signal);
    const fields = { deliveryId: d.id, event: d.event, ticketId: ticketIdOf(d), attempt: d.attempts };
    try {
      if (r.ok) {
        await this.queue.delivered(d.id);
        log.info(this.category, 'delivered', fields);
        return;
      }
      // Cut short by a shutdown: due again at the next start (or at once, on another instance), never dead for it.
      const stopped = this.stopping.signal.aborted;
      const last = !stopped && (!r.retry || d.attempts >= this.config.maxAttempts);
      const retryInMs = stopped ? 0 : this.config.backoffMs * 2 ** (d.attempts - 1);
      await this.queue.failed(d.id, this.id, { error: r.error, ...(last ? {} : { retryInMs }) });
      if (last) log.error(this.category, 'delivery kept as dead until resent', { ...fields, error: r.error });
      else {
        log.warn(this.category, 'delivery failed; will retry', { ...fields, error: r.error, retryInMs });
        this.nextRetry = Math.min(this.nextRetry, Date.now() + retryInMs);
      }
    } catch (error) {
      // The lease runs out and the delivery is due again: nothing is lost, at worst sent twice under one id.
      log.warn(this.category, 'could not record a delivery attempt', { ...fields, error });
    }
  }
}

/** Resend each dead delivery once now (the admin routes, `npm run kb -- retry-webhooks` or `retry-mails`); those that fail again stay dead. */
export async function retryDead(queue: DeliveryQueue, config: WebhookConfig | DeliverySender): Promise<RetryResult> {
  const send = senderOf(config);
  const worker = `retry:${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const result: RetryResult = { resent: 0, remaining: 0, errors: [] };
  // One claim for all: a resend that fails is dead again at once, and a second claim would take it again.
  const claimed = await queue.claimDead(worker, { limit: 100_000, leaseMs: config.timeoutMs + 30_000 });
  for (const d of claimed) {
    const r = await send(d, AbortSignal.timeout(config.timeoutMs * 2));
    if (r.ok) {
      await queue.delivered(d.id);
      result.resent++;
    } else {
      await queue.failed(d.id, worker, { error: r.error });
      result.remaining++;
      result.errors.push({ ticketId: ticketIdOf(d), error: r.error });
    }
  }
  return result;
}

/** One attempt with the queue's sender: a webhook POST, or the given sender (the customer's e-mails). */
function senderOf(config: WebhookConfig | DeliverySender): (d: Delivery, signal: AbortSignal) => Promise<Attempt> {
  if ('send' in config) return (d, signal) => config.send(d, signal);
  return (d, signal) => postWebhook(config, d, signal);
}

/** The ticket a delivery is about, for logs and the retry report (the delivery id when it is about none). */
function ticketIdOf(d: Delivery): string {
  const ticket = d.payload.ticket as { id?: unknown } | undefined;
  if (typeof ticket?.id === 'string') return ticket.id;
  return typeof d.payload.ticketId === 'string' ? d.payload.ticketId : d.id;
}
