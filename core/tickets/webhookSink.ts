import { createHmac, randomUUID } from 'node:crypto';
import type { WebhookConfig } from '../config/tickets.ts';
import { log } from '../logger.ts';
import type { DeadLetter, DeadLetterFile } from './deadLetter.ts';
import type { Ticket, TicketSink } from './types.ts';

export const SIGNATURE_HEADER = 'x-deflect-signature';
export const TIMESTAMP_HEADER = 'x-deflect-timestamp';

/** `sha256=<hex>` of HMAC-SHA256(secret, "<timestamp>.<body>"): what receivers recompute to trust a delivery. */
export function signWebhook(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

type Attempt = { ok: true } | { ok: false; retry: boolean; error: string };

/**
 * Sends each new ticket to a URL as JSON, signed, retrying with exponential
 * backoff (WEBHOOK_BACKOFF_MS, doubled each time) on network errors, timeouts,
 * 408, 429 and 5xx. A ticket still undelivered after the last attempt, or
 * refused with another 4xx, goes to the dead-letter file, from where
 * `retryDeadLetters` (npm run kb -- retry-webhooks, or the admin API) resends
 * it. The ticket itself is already safe in the built-in store.
 */
export class WebhookSink implements TicketSink {
  readonly name = 'webhook';
  private readonly closing = new AbortController();
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly config: WebhookConfig,
    readonly deadLetters: DeadLetterFile,
  ) {}

  deliver(ticket: Ticket): Promise<void> {
    const p = this.deliverNow(ticket).finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
    return p;
  }

  private async deliverNow(ticket: Ticket): Promise<void> {
    const deliveryId = randomUUID();
    const body = JSON.stringify({ event: 'ticket.created', deliveryId, ticket });
    let last: Attempt = { ok: false, retry: true, error: 'not sent' };
    let attempts = 0;
    while (attempts < this.config.maxAttempts && !this.closing.signal.aborted) {
      if (attempts > 0) await sleep(this.config.backoffMs * 2 ** (attempts - 1), this.closing.signal);
      if (this.closing.signal.aborted) break;
      attempts++;
      last = await this.post(deliveryId, body);
      if (last.ok) {
        log.info('webhook', 'ticket delivered', { ticketId: ticket.id, deliveryId, attempts });
        return;
      }
      log.warn('webhook', 'delivery failed', { ticketId: ticket.id, deliveryId, attempt: attempts, error: last.error });
      if (!last.retry) break;
    }
    const error = last.ok ? '' : last.error;
    await this.deadLetters.append({
      deliveryId,
      ticketId: ticket.id,
      body,
      attempts,
      lastError: this.closing.signal.aborted ? `${error} (server stopped)` : error,
      failedAt: new Date().toISOString(),
    });
    log.error('webhook', 'ticket kept in the dead-letter file', {
      ticketId: ticket.id,
      deliveryId,
      attempts,
      file: this.deadLetters.file,
    });
  }

  /** Resend every dead letter once; those that fail again stay, with the new error. */
  retryDeadLetters(): Promise<{ resent: number; remaining: number; errors: { ticketId: string; error: string }[] }> {
    return this.deadLetters.update(async (entries) => {
      const keep: DeadLetter[] = [];
      const errors: { ticketId: string; error: string }[] = [];
      for (const e of entries) {
        const r = await this.post(e.deliveryId, e.body);
        if (r.ok) continue;
        errors.push({ ticketId: e.ticketId, error: r.error });
        keep.push({ ...e, attempts: e.attempts + 1, lastError: r.error, failedAt: new Date().toISOString() });
      }
      return { keep, result: { resent: entries.length - keep.length, remaining: keep.length, errors } };
    });
  }

  /** Stop retrying: deliveries waiting for their next attempt go to the dead-letter file now, so none is lost. */
  async close(): Promise<void> {
    this.closing.abort();
    await Promise.allSettled([...this.inFlight]);
  }

  private async post(deliveryId: string, body: string): Promise<Attempt> {
    const timestamp = String(Math.floor(Date.now() / 1000));
    try {
      const res = await fetch(this.config.url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': 'Deflect-Webhook/1',
          'X-Deflect-Event': 'ticket.created',
          'X-Deflect-Delivery': deliveryId,
          [TIMESTAMP_HEADER]: timestamp,
          [SIGNATURE_HEADER]: signWebhook(this.config.secret, timestamp, body),
        },
        body,
        // A redirect could carry a signed ticket to another host: treat it as a failure.
        redirect: 'manual',
        signal: AbortSignal.timeout(this.config.timeoutMs),
      });
      await res.arrayBuffer().catch(() => undefined);
      if (res.status >= 200 && res.status < 300) return { ok: true };
      const retry = res.status === 408 || res.status === 429 || res.status >= 500;
      return { ok: false, retry, error: `HTTP ${res.status}` };
    } catch (error) {
      const e = error as Error & { cause?: { code?: string } };
      return { ok: false, retry: true, error: e.name === 'TimeoutError' ? 'timed out' : (e.cause?.code ?? e.message) };
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
