import { createHmac } from 'node:crypto';
import type { WebhookConfig } from '../config/tickets.ts';
import type { Delivery } from '../storage/ports.ts';

export const SIGNATURE_HEADER = 'x-deflect-signature';
export const TIMESTAMP_HEADER = 'x-deflect-timestamp';

/** `sha256=<hex>` of HMAC-SHA256(secret, "<timestamp>.<body>"): what receivers recompute to trust a delivery. */
export function signWebhook(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** The body receivers get: `{ event, deliveryId, ...payload }`, the same on every attempt. */
export function webhookBody(d: Pick<Delivery, 'id' | 'event' | 'payload'>): string {
  return JSON.stringify({ event: d.event, deliveryId: d.id, ...d.payload });
}

export type Attempt = { ok: true } | { ok: false; retry: boolean; error: string };

/**
 * One signed POST of a delivery. Network errors, timeouts, 408, 429 and 5xx
 * are worth retrying; another 4xx means the receiver refuses it as it is.
 */
export async function postWebhook(config: WebhookConfig, d: Delivery, signal?: AbortSignal): Promise<Attempt> {
  const body = webhookBody(d);
  const timestamp = String(Math.floor(Date.now() / 1000));
  const timeout = AbortSignal.timeout(config.timeoutMs);
  try {
    const res = await fetch(config.url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': 'Deflect-Webhook/1',
        'X-Deflect-Event': d.event,
        'X-Deflect-Delivery': d.id,
        [TIMESTAMP_HEADER]: timestamp,
        [SIGNATURE_HEADER]: signWebhook(config.secret, timestamp, body),
      },
      body,
      // A redirect could carry a signed ticket to another host: treat it as a failure.
      redirect: 'manual',
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
    await res.arrayBuffer().catch(() => undefined);
    if (res.status >= 200 && res.status < 300) return { ok: true };
    const retry = res.status === 408 || res.status === 429 || res.status >= 500;
    return { ok: false, retry, error: `HTTP ${res.status}` };
  } catch (error) {
    const e = error as Error & { cause?: { code?: string } };
    if (signal?.aborted) return { ok: false, retry: true, error: 'server stopped' };
    return { ok: false, retry: true, error: e.name === 'TimeoutError' ? 'timed out' : (e.cause?.code ?? e.message) };
  }
}
